/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The long double functions of <math.h> that newlib has only where long
 * double is double (include/math.h). On x86_64 long double is the x87's
 * 80-bit format (64-bit significand), so these use the x87's own
 * instructions: rounding (frndint under a chosen rounding mode),
 * remainders (fprem, fprem1), exponents (fxtract, fscale), logarithms
 * (fyl2x), 2^x (f2xm1), trigonometry (fsin, fcos, fptan, fpatan, after
 * an argument reduction of our own).
 * Rounding, remainders and exponent handling are exact; the logarithms
 * and trigonometric functions have the x87's precision; expl and powl
 * lose a few bits to the product that feeds 2^x, and stay at least as
 * precise as the double functions.
 */
#include <limits.h>
#include <math.h>

#define RC_NEAREST 0x0000
#define RC_DOWN    0x0400
#define RC_UP      0x0800
#define RC_ZERO    0x0c00

static long double round_mode(long double x, unsigned short rc)
{
    unsigned short cw, ncw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    ncw = (unsigned short)((cw & ~0x0c00) | rc);
    __asm__ volatile("fldcw %0" : : "m"(ncw));
    __asm__ volatile("frndint" : "+t"(x));
    __asm__ volatile("fldcw %0" : : "m"(cw));
    return x;
}

long double fabsl(long double x) { return __builtin_fabsl(x); }
/* The sign is bit 15 of the 80-bit format's top 16 bits (gcc turns
 * __builtin_copysignl into a call to this very function). */
union ld80 {
    long double v;
    struct {
        unsigned long long mant;
        unsigned short sexp;
    } b;
};

long double copysignl(long double x, long double y)
{
    union ld80 ux = { .v = x }, uy = { .v = y };
    ux.b.sexp = (unsigned short)((ux.b.sexp & 0x7fff) | (uy.b.sexp & 0x8000));
    return ux.v;
}
long double ceill(long double x) { return round_mode(x, RC_UP); }
long double floorl(long double x) { return round_mode(x, RC_DOWN); }
long double truncl(long double x) { return round_mode(x, RC_ZERO); }

long double rintl(long double x)
{
    __asm__ volatile("frndint" : "+t"(x));
    return x;
}

long double nearbyintl(long double x) { return rintl(x); }

/* Halfway cases away from zero; x - truncl(x) is exact. */
long double roundl(long double x)
{
    long double t = truncl(x);
    if (__builtin_fabsl(x - t) >= 0.5L)
        t += __builtin_copysignl(1.0L, x);
    return t;
}

/* fistp: an integral value in range as is; out of range (or NaN) the
 * x87's "integer indefinite", LLONG_MIN, instead of undefined behaviour. */
static long long to_int(long double x)
{
    long long r;
    __asm__ volatile("fistpll %0" : "=m"(r) : "t"(x) : "st");
    return r;
}

long lrintl(long double x) { return to_int(x); }
long long llrintl(long double x) { return to_int(x); }
long lroundl(long double x) { return to_int(roundl(x)); }
long long llroundl(long double x) { return to_int(roundl(x)); }

long double modfl(long double x, long double *ip)
{
    long double i = truncl(x);
    *ip = i;
    if (__builtin_isinf(x))
        return __builtin_copysignl(0.0L, x);
    return __builtin_copysignl(x - i, x);      /* -0 for a negative integer */
}

long double fmodl(long double x, long double y)
{
    long double r;
    __asm__ volatile("1: fprem\n\t"
                     "fnstsw %%ax\n\t"
                     "testw $0x400, %%ax\n\t"
                     "jnz 1b"
                     : "=t"(r) : "0"(x), "u"(y) : "ax", "cc");
    return r;
}

/* fprem1 to the end; (*q): the x87's three low bits of the quotient. */
static long double rem1(long double x, long double y, unsigned *q)
{
    long double r;
    unsigned short sw;
    __asm__ volatile("1: fprem1\n\t"
                     "fnstsw %%ax\n\t"
                     "testw $0x400, %%ax\n\t"
                     "jnz 1b\n\t"
                     "movw %%ax, %1"
                     : "=t"(r), "=m"(sw) : "0"(x), "u"(y) : "ax", "cc");
    *q = ((sw >> 8) & 1) << 2 | ((sw >> 14) & 1) << 1 | ((sw >> 9) & 1);
    return r;
}

long double remainderl(long double x, long double y)
{
    unsigned q;
    return rem1(x, y, &q);
}

long double remquol(long double x, long double y, int *quo)
{
    unsigned q;
    long double r = rem1(x, y, &q);
    *quo = (__builtin_signbit(x) != __builtin_signbit(y)) ? -(int)q : (int)q;
    return r;
}

/* fxtract: x = significand * 2^exponent, significand in [1, 2). */
static long double extract(long double x, long double *exponent)
{
    long double m, e;
    __asm__("fxtract" : "=t"(m), "=u"(e) : "0"(x));
    *exponent = e;
    return m;
}

long double frexpl(long double x, int *e)
{
    if (x == 0 || __builtin_isinf(x) || __builtin_isnan(x)) {
        *e = 0;
        return x;
    }
    long double ex, m = extract(x, &ex);
    *e = (int)ex + 1;
    return m / 2;
}

long double scalblnl(long double x, long n)
{
    /* Past +-70000 every finite result has over- or underflowed already. */
    if (n > 70000)
        n = 70000;
    if (n < -70000)
        n = -70000;
    long double fn = (long double)n, r;
    __asm__("fscale" : "=t"(r) : "0"(x), "u"(fn));
    return r;
}

long double scalbnl(long double x, int n) { return scalblnl(x, n); }
long double ldexpl(long double x, int n) { return scalblnl(x, n); }

long double logbl(long double x)
{
    if (x == 0)
        return -1.0L / __builtin_fabsl(x);     /* -inf, division by zero */
    if (__builtin_isinf(x))
        return __builtin_fabsl(x);
    if (__builtin_isnan(x))
        return x;
    long double e;
    extract(x, &e);
    return e;
}

int ilogbl(long double x)
{
    if (x == 0)
        return FP_ILOGB0;
    if (__builtin_isnan(x))
        return FP_ILOGBNAN;
    if (__builtin_isinf(x))
        return INT_MAX;
    return (int)logbl(x);
}

long double fmaxl(long double a, long double b)
{
    if (__builtin_isnan(a))
        return b;
    if (__builtin_isnan(b))
        return a;
    return a > b ? a : b;
}

long double fminl(long double a, long double b)
{
    if (__builtin_isnan(a))
        return b;
    if (__builtin_isnan(b))
        return a;
    return a < b ? a : b;
}

long double fdiml(long double a, long double b)
{
    if (__builtin_isnan(a) || __builtin_isnan(b))
        return a + b;
    return a > b ? a - b : 0.0L;
}

/* ---------------------------------------------------------------- logarithms, powers */

long double logl(long double x)
{
    long double r;
    __asm__("fldln2\n\tfxch\n\tfyl2x" : "=t"(r) : "0"(x) : "st(1)");
    return r;
}

long double log2l(long double x)
{
    long double r;
    __asm__("fld1\n\tfxch\n\tfyl2x" : "=t"(r) : "0"(x) : "st(1)");
    return r;
}

long double log10l(long double x)
{
    long double r;
    __asm__("fldlg2\n\tfxch\n\tfyl2x" : "=t"(r) : "0"(x) : "st(1)");
    return r;
}

long double exp2l(long double x)
{
    if (__builtin_isnan(x))
        return x + x;
    if (x > 16400)
        return __LDBL_MAX__ * 2;                /* +inf, overflow */
    if (x < -16500)
        return __LDBL_MIN__ * __LDBL_MIN__;     /* +0, underflow */
    long double n = rintl(x), f = x - n;        /* |f| <= 1/2: f2xm1's range */
    __asm__("f2xm1" : "+t"(f));
    return scalblnl(f + 1, (long)n);
}

long double expl(long double x)
{
    return exp2l(x * 1.442695040888963407359924681001892137L);
}

static int is_integer(long double y)
{
    return !__builtin_isinf(y) && truncl(y) == y;
}

static int is_odd_integer(long double y)
{
    /* At 2^64 and beyond every long double is an even integer. */
    return is_integer(y) && __builtin_fabsl(y) < 0x1p64L && fmodl(y, 2.0L) != 0;
}

long double powl(long double x, long double y)
{
    if (y == 0 || x == 1)
        return 1.0L;
    if (__builtin_isnan(x) || __builtin_isnan(y))
        return x + y;
    int odd = is_odd_integer(y);
    if (x == 0) {
        if (y < 0)
            return odd ? 1.0L / x : 1.0L / __builtin_fabsl(x);  /* +-inf, division by zero */
        return odd ? x : 0.0L;
    }
    if (__builtin_isinf(y)) {
        long double ax = __builtin_fabsl(x);
        if (ax == 1)
            return 1.0L;
        return (ax < 1) == (y < 0) ? __builtin_fabsl(y) : 0.0L;
    }
    if (__builtin_isinf(x)) {
        if (x < 0)
            return y < 0 ? (odd ? -0.0L : 0.0L) : (odd ? x : -x);
        return y < 0 ? 0.0L : x;
    }
    if (x < 0 && !is_integer(y))
        return (x - x) / (x - x);               /* NaN, invalid */
    long double ax = __builtin_fabsl(x), r;
    if (is_integer(y) && __builtin_fabsl(y) <= 64) {
        /* Small integer powers by squaring: exact where representable. */
        long n = (long)__builtin_fabsl(y);
        long double b = ax;
        r = 1.0L;
        for (; n != 0; n >>= 1, b *= b)
            if (n & 1)
                r *= b;
        if (y < 0)
            r = 1.0L / r;
    } else {
        r = exp2l(y * log2l(ax));
    }
    return x < 0 && odd ? -r : r;
}

/* ---------------------------------------------------------------- trigonometry */

/*
 * x = k * pi/2 + r, |r| <= pi/4, and k mod 4 in *q. Up to 2^31: k * pi/2
 * in three parts (Cody and Waite), the first two with 32 significant bits
 * so that their products with k are exact, which keeps r accurate next to
 * the multiples of pi (the x87's own reduction, with a 66-bit pi, loses
 * most of r's bits there). Beyond: fprem1 by the long double pi/2.
 */
#define PIO2_1 0x6487ed51p-30L
#define PIO2_2 0x85a308d3p-65L
#define PIO2_3 0x98cc51701b839a25p-132L
#define PIO2   1.570796326794896619231321691639751442L
#define TWO_OVER_PI 0.636619772367581343075535053490057448L

static long double reduce(long double x, unsigned *q)
{
    long double ax = __builtin_fabsl(x);
    if (ax <= PIO2 / 2) {
        *q = 0;
        return x;
    }
    if (ax < 0x1p31L) {
        long double k = rintl(x * TWO_OVER_PI);
        *q = (unsigned)((long long)k & 3);
        return ((x - k * PIO2_1) - k * PIO2_2) - k * PIO2_3;
    }
    long double r = rem1(x, PIO2, q);           /* inf or NaN: NaN */
    if (__builtin_signbit(x) != 0)
        *q = -*q;
    *q &= 3;
    return r;
}

static long double x87_sin(long double r)
{
    __asm__("fsin" : "+t"(r));
    return r;
}

static long double x87_cos(long double r)
{
    __asm__("fcos" : "+t"(r));
    return r;
}

long double sinl(long double x)
{
    unsigned q;
    long double r = reduce(x, &q);
    switch (q) {
    case 0: return x87_sin(r);
    case 1: return x87_cos(r);
    case 2: return -x87_sin(r);
    default: return -x87_cos(r);
    }
}

long double cosl(long double x)
{
    unsigned q;
    long double r = reduce(x, &q);
    switch (q) {
    case 0: return x87_cos(r);
    case 1: return -x87_sin(r);
    case 2: return -x87_cos(r);
    default: return x87_sin(r);
    }
}

long double tanl(long double x)
{
    unsigned q;
    long double r = reduce(x, &q);
    __asm__("fptan\n\tfstp %%st(0)" : "+t"(r));     /* fptan pushes 1.0 */
    return (q & 1) ? -1.0L / r : r;
}

long double atan2l(long double y, long double x)
{
    long double r;
    __asm__("fpatan" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
    return r;
}

long double atanl(long double x)
{
    return atan2l(x, 1.0L);
}

long double asinl(long double x)
{
    if (__builtin_fabsl(x) > 1)
        return (x - x) / (x - x);               /* NaN, invalid */
    return atan2l(x, __builtin_sqrtl((1 - x) * (1 + x)));
}

long double acosl(long double x)
{
    if (__builtin_fabsl(x) > 1)
        return (x - x) / (x - x);
    return atan2l(__builtin_sqrtl((1 - x) * (1 + x)), x);
}
