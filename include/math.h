/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * newlib's <math.h>, plus the long double functions it declares only
 * where long double is double: on x86_64 long double is the x87's 80-bit
 * format, and lib/newlib/ldouble.c implements these with the x87's own
 * instructions (docs/posix.md). A long double function not listed here
 * does not exist: a call fails the link naming it.
 */
#ifndef XENOLITH_MATH_H
#define XENOLITH_MATH_H

#include_next <math.h>

#ifdef __cplusplus
extern "C" {
#endif

long double fabsl(long double);
long double copysignl(long double, long double);
long double ceill(long double);
long double floorl(long double);
long double truncl(long double);
long double roundl(long double);
long double rintl(long double);
long double nearbyintl(long double);
long lrintl(long double);
long long llrintl(long double);
long lroundl(long double);
long long llroundl(long double);
long double modfl(long double, long double *);
long double fmodl(long double, long double);
long double remainderl(long double, long double);
long double remquol(long double, long double, int *);
long double frexpl(long double, int *);
long double ldexpl(long double, int);
long double scalbnl(long double, int);
long double scalblnl(long double, long);
long double logbl(long double);
int ilogbl(long double);
long double fmaxl(long double, long double);
long double fminl(long double, long double);
long double fdiml(long double, long double);
long double expl(long double);
long double exp2l(long double);
long double logl(long double);
long double log2l(long double);
long double log10l(long double);
long double powl(long double, long double);
long double sinl(long double);
long double cosl(long double);
long double tanl(long double);
long double atanl(long double);
long double atan2l(long double, long double);
long double asinl(long double);
long double acosl(long double);

#ifdef __cplusplus
}
#endif

#endif
