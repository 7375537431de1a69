/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lib/newlib/ldouble.c (long double math on the x87) against the host's
 * glibc: the exact functions must agree bit for bit, the others within a
 * few units in the last place of the 64-bit significand, and the special
 * cases of C99's Annex F. The file is compiled here under other names
 * (xn_*), after glibc's <math.h>, so that glibc's own stay callable.
 */
#include <limits.h>
#include <math.h>                       /* glibc's, under their own names */

#define FN(n) xn_##n
#define fabsl FN(fabsl)
#define copysignl FN(copysignl)
#define ceill FN(ceill)
#define floorl FN(floorl)
#define truncl FN(truncl)
#define roundl FN(roundl)
#define rintl FN(rintl)
#define nearbyintl FN(nearbyintl)
#define lrintl FN(lrintl)
#define llrintl FN(llrintl)
#define lroundl FN(lroundl)
#define llroundl FN(llroundl)
#define modfl FN(modfl)
#define fmodl FN(fmodl)
#define remainderl FN(remainderl)
#define remquol FN(remquol)
#define frexpl FN(frexpl)
#define ldexpl FN(ldexpl)
#define scalbnl FN(scalbnl)
#define scalblnl FN(scalblnl)
#define logbl FN(logbl)
#define ilogbl FN(ilogbl)
#define fmaxl FN(fmaxl)
#define fminl FN(fminl)
#define fdiml FN(fdiml)
#define expl FN(expl)
#define exp2l FN(exp2l)
#define logl FN(logl)
#define log2l FN(log2l)
#define log10l FN(log10l)
#define powl FN(powl)
#define sinl FN(sinl)
#define cosl FN(cosl)
#define tanl FN(tanl)
#define atanl FN(atanl)
#define atan2l FN(atan2l)
#define asinl FN(asinl)
#define acosl FN(acosl)
#include "../../lib/newlib/ldouble.c"
#undef fabsl
#undef copysignl
#undef ceill
#undef floorl
#undef truncl
#undef roundl
#undef rintl
#undef nearbyintl
#undef lrintl
#undef llrintl
#undef lroundl
#undef llroundl
#undef modfl
#undef fmodl
#undef remainderl
#undef remquol
#undef frexpl
#undef ldexpl
#undef scalbnl
#undef scalblnl
#undef logbl
#undef ilogbl
#undef fmaxl
#undef fminl
#undef fdiml
#undef expl
#undef exp2l
#undef logl
#undef log2l
#undef log10l
#undef powl
#undef sinl
#undef cosl
#undef tanl
#undef atanl
#undef atan2l
#undef asinl
#undef acosl

#include <stdint.h>
#include <stdlib.h>

#include "test.h"

/* Arguments: zeros, halves, integers, large, tiny, denormal, huge. */
static const long double args[] = {
    0.0L, -0.0L, 0.5L, -0.5L, 1.5L, -1.5L, 2.5L, -2.5L, 0.49999999999999999995L, 1.0L, -1.0L,
    3.0L, 7.25L, -7.75L, 1e10L, -1e10L, 123456789.987654321L, 0x1p62L + 0.5L, 0x1p63L,
    -0x1p63L, 0x1p64L, 1e300L, 1e-300L, 1e4000L, 1e-4000L, 0x1p-16445L, 3.1415926535897932L,
    0.1L, -0.3L, 0.999L, 42.0L,
};
#define NARGS (sizeof(args) / sizeof(args[0]))

static int same(long double a, long double b)
{
    if (__builtin_isnan(a) || __builtin_isnan(b))
        return __builtin_isnan(a) && __builtin_isnan(b);
    return a == b && __builtin_signbit(a) == __builtin_signbit(b);
}

/* Within (ulps) units in the last place of b (relative to its size). */
static int close_to(long double a, long double b, long double ulps)
{
    if (__builtin_isnan(b) || __builtin_isinf(b) || b == 0)
        return same(a, b) || (b == 0 && __builtin_fabsl(a) < 1e-4900L);
    long double tol = __builtin_fabsl(b) * 0x1p-63L * ulps;
    return __builtin_fabsl(a - b) <= tol;
}

#define EXACT1(f)                                                            \
    for (size_t i = 0; i < NARGS; i++) {                                     \
        long double x = args[i];                                             \
        if (!same(xn_##f(x), f(x))) {                                        \
            printf("  %s(%Lg) = %La, glibc %La\n", #f, x, xn_##f(x), f(x));  \
            test_failed = 1;                                                 \
        }                                                                    \
    }

static void test_rounding(void)
{
    EXACT1(ceill);
    EXACT1(floorl);
    EXACT1(truncl);
    EXACT1(roundl);
    EXACT1(rintl);
    EXACT1(fabsl);
    EXACT1(logbl);
    for (size_t i = 0; i < NARGS; i++) {
        long double x = args[i];
        if (__builtin_fabsl(x) < 0x1p62L) {
            CHECK(xn_lroundl(x) == lroundl(x));
            CHECK(xn_llrintl(x) == llrintl(x));
        }
        long double ip1, ip2;
        CHECK(same(xn_modfl(x, &ip1), modfl(x, &ip2)) && same(ip1, ip2));
        int e1, e2;
        CHECK(same(xn_frexpl(x, &e1), frexpl(x, &e2)) && e1 == e2);
        CHECK(xn_ilogbl(x) == ilogbl(x));
    }
    CHECK(xn_llroundl(-2.5L) == -3 && xn_llroundl(2.5L) == 3 && xn_lroundl(0.49999999999999999995L) == 0);
    CHECK(same(xn_roundl(-0.4L), -0.0L));
    CHECK(xn_llrintl(__builtin_nanl("")) == INT64_MIN);
}

static void test_exponents(void)
{
    for (size_t i = 0; i < NARGS; i++)
        for (int n = -20000; n <= 20000; n += 777)
            CHECK(same(xn_ldexpl(args[i], n), ldexpl(args[i], n)));
    CHECK(same(xn_scalbnl(1.0L, 16383), 0x1p16383L));
    CHECK(__builtin_isinf(xn_scalbnl(1.0L, 16384)) && xn_scalbnl(1.0L, -20000) == 0);
    CHECK(same(xn_scalblnl(3.0L, 1L << 40), __builtin_infl()));
    CHECK(xn_ilogbl(0.0L) == FP_ILOGB0 && xn_ilogbl(__builtin_nanl("")) == FP_ILOGBNAN);
}

static void test_remainders(void)
{
    static const long double ys[] = { 1.0L, -1.0L, 0.3L, 2.0L, 7.0L, 1e-3L, 1e20L, 0x1p-16000L };
    for (size_t i = 0; i < NARGS; i++) {
        for (size_t j = 0; j < sizeof(ys) / sizeof(ys[0]); j++) {
            long double x = args[i], y = ys[j];
            CHECK(same(xn_fmodl(x, y), fmodl(x, y)));
            CHECK(same(xn_remainderl(x, y), remainderl(x, y)));
            int q1, q2;
            CHECK(same(xn_remquol(x, y, &q1), remquol(x, y, &q2)) && (q1 & 7) == (q2 & 7));
        }
    }
    CHECK(__builtin_isnan(xn_fmodl(1.0L, 0.0L)) && __builtin_isnan(xn_fmodl(__builtin_infl(), 2.0L)));
    CHECK(same(xn_fmodl(5.5L, __builtin_infl()), 5.5L));
}

static void test_min_max(void)
{
    long double nan = __builtin_nanl("");
    CHECK(xn_fmaxl(1, 2) == 2 && xn_fminl(1, 2) == 1 && xn_fmaxl(nan, 3) == 3 && xn_fminl(3, nan) == 3);
    CHECK(xn_fdiml(5, 3) == 2 && xn_fdiml(3, 5) == 0 && __builtin_isnan(xn_fdiml(nan, 1)));
    CHECK(same(xn_copysignl(2, -0.0L), -2.0L) && same(xn_copysignl(-2, 1), 2.0L));
}

#define NEAR1(f, ulps, lo, hi)                                               \
    for (size_t i = 0; i < NARGS; i++) {                                     \
        long double x = args[i];                                             \
        if (!(x >= (lo) && x <= (hi)))                                       \
            continue;                                                        \
        if (!close_to(xn_##f(x), f(x), ulps)) {                              \
            printf("  %s(%Lg) = %.21Lg, glibc %.21Lg\n", #f, x, xn_##f(x), f(x)); \
            test_failed = 1;                                                 \
        }                                                                    \
    }

static void test_logs_and_powers(void)
{
    NEAR1(logl, 4, 0.0L, 1e4000L);
    NEAR1(log2l, 4, 0.0L, 1e4000L);
    NEAR1(log10l, 4, 0.0L, 1e4000L);
    NEAR1(exp2l, 4, -16000.0L, 16000.0L);
    NEAR1(expl, 4096, -11000.0L, 11000.0L);
    CHECK(same(xn_logl(1.0L), 0.0L) && __builtin_isinf(xn_logl(0.0L)) && xn_logl(0.0L) < 0);
    CHECK(__builtin_isnan(xn_logl(-1.0L)) && same(xn_log2l(1024.0L), 10.0L));
    CHECK(same(xn_exp2l(10.0L), 1024.0L) && same(xn_exp2l(-__builtin_infl()), 0.0L));
    CHECK(__builtin_isinf(xn_expl(20000.0L)) && xn_expl(-20000.0L) == 0);
    static const long double bases[] = { 2.0L, 10.0L, 0.5L, 1.0000001L, 3.7L, 1e100L, 1e-100L };
    static const long double exps[] = { 0.5L, 2.0L, 10.0L, -3.0L, 17.5L, -0.25L, 100.0L, 1e-5L };
    for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
        for (size_t j = 0; j < sizeof(exps) / sizeof(exps[0]); j++) {
            long double b = bases[i], e = exps[j], got = xn_powl(b, e), want = powl(b, e);
            if (!close_to(got, want, 16384)) {
                printf("  powl(%Lg, %Lg) = %.21Lg, glibc %.21Lg\n", b, e, got, want);
                test_failed = 1;
            }
        }
    CHECK(same(xn_powl(10.0L, 2.0L), 100.0L) && same(xn_powl(2.0L, -3.0L), 0.125L));
    CHECK(same(xn_powl(-2.0L, 3.0L), -8.0L) && same(xn_powl(-2.0L, 2.0L), 4.0L));
    /* Annex F's special cases, each against glibc. */
    long double inf = __builtin_infl(), nan = __builtin_nanl("");
    static const long double sx[] = { 0.0L, -0.0L, 1.0L, -1.0L, 0.5L, -0.5L, 2.0L, -2.0L };
    static const long double sy[] = { 0.0L, -0.0L, 1.0L, -1.0L, 3.0L, -3.0L, 2.0L, -2.0L, 0.5L, -0.5L };
    long double spx[sizeof(sx) / sizeof(sx[0]) + 3], spy[sizeof(sy) / sizeof(sy[0]) + 3];
    size_t nx = 0, ny = 0;
    for (size_t i = 0; i < sizeof(sx) / sizeof(sx[0]); i++)
        spx[nx++] = sx[i];
    for (size_t i = 0; i < sizeof(sy) / sizeof(sy[0]); i++)
        spy[ny++] = sy[i];
    spx[nx++] = inf, spx[nx++] = -inf, spx[nx++] = nan;
    spy[ny++] = inf, spy[ny++] = -inf, spy[ny++] = nan;
    for (size_t i = 0; i < nx; i++)
        for (size_t j = 0; j < ny; j++) {
            long double got = xn_powl(spx[i], spy[j]), want = powl(spx[i], spy[j]);
            if (!same(got, want)) {
                printf("  powl(%Lg, %Lg) = %Lg, glibc %Lg\n", spx[i], spy[j], got, want);
                test_failed = 1;
            }
        }
}

static void test_trigonometry(void)
{
    NEAR1(sinl, 8, -1e6L, 1e6L);
    NEAR1(cosl, 8, -1e6L, 1e6L);
    NEAR1(tanl, 8, -1e3L, 1e3L);
    NEAR1(atanl, 4, -1e4000L, 1e4000L);
    NEAR1(asinl, 8, -1.0L, 1.0L);
    NEAR1(acosl, 8, -1.0L, 1.0L);
    CHECK(__builtin_isnan(xn_asinl(2.0L)) && __builtin_isnan(xn_sinl(__builtin_infl())));
    CHECK(same(xn_atan2l(0.0L, -1.0L), atan2l(0.0L, -1.0L)) &&
          same(xn_atan2l(-0.0L, -1.0L), atan2l(-0.0L, -1.0L)));
    CHECK(close_to(xn_atan2l(1.0L, 1.0L), atan2l(1.0L, 1.0L), 2));
    CHECK(!__builtin_isnan(xn_sinl(0x1p70L)) && __builtin_fabsl(xn_sinl(0x1p70L)) <= 1);
}

int main(void)
{
    RUN(test_rounding);
    RUN(test_exponents);
    RUN(test_remainders);
    RUN(test_min_max);
    RUN(test_logs_and_powers);
    RUN(test_trigonometry);
    TEST_EXIT();
}
