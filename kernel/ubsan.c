/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small runtime for gcc's -fsanitize=undefined, used by the UBSAN=1
 * build (make check UBSAN=1). Each handler prints what kind of undefined
 * behaviour happened and where (file, line, column), with a backtrace,
 * and crashes the guest: execution never continues past undefined
 * behaviour. This file itself is built without the sanitizer. The data
 * layouts follow gcc's libsanitizer ABI (ubsan_handlers.h).
 */
#include "kernel.h"

/* The handlers' signatures are gcc's; most values are not printed. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

struct source_location {
    const char *file;
    uint32_t line, column;
};

struct type_descriptor {
    uint16_t kind, info;
    char name[];
};

/* Every handler's data starts with the location of the check. */
struct ubsan_data {
    struct source_location loc;
};

struct type_mismatch_data {
    struct source_location loc;
    const struct type_descriptor *type;
    unsigned char log_alignment, type_check_kind;
};

struct typed_data {
    struct source_location loc;
    const struct type_descriptor *type;
};

struct shift_data {
    struct source_location loc;
    const struct type_descriptor *lhs, *rhs;
};

__attribute__((noreturn)) static void report(const struct source_location *loc,
                                             const char *kind, const char *detail)
{
    kprintf("xenolith: crash: undefined behaviour (ubsan): %s%s%s at %s:%u:%u\n",
            kind, detail[0] ? ": " : "", detail,
            loc != NULL && loc->file != NULL ? loc->file : "?",
            loc != NULL ? loc->line : 0, loc != NULL ? loc->column : 0);
    backtrace_print((uint64_t)(uintptr_t)__builtin_return_address(0),
                    *(uint64_t *)__builtin_frame_address(0));
    power_crash();
}

static const char *type_name(const struct type_descriptor *t)
{
    return t != NULL ? t->name : "?";
}

/* Handlers with their data and one to two values, recoverable or not. */
#define HANDLER(name, kind, ...)                                             \
    __attribute__((noreturn)) void __ubsan_handle_##name(void *d, ##__VA_ARGS__); \
    __attribute__((noreturn)) void __ubsan_handle_##name##_abort(void *d, ##__VA_ARGS__); \
    void __ubsan_handle_##name(void *d, ##__VA_ARGS__)                       \
    {                                                                        \
        report(&((struct ubsan_data *)d)->loc, kind, "");                    \
    }                                                                        \
    void __ubsan_handle_##name##_abort(void *d, ##__VA_ARGS__)               \
    {                                                                        \
        report(&((struct ubsan_data *)d)->loc, kind, "");                    \
    }

#define TYPED_HANDLER(name, kind, ...)                                       \
    __attribute__((noreturn)) void __ubsan_handle_##name(void *d, ##__VA_ARGS__); \
    __attribute__((noreturn)) void __ubsan_handle_##name##_abort(void *d, ##__VA_ARGS__); \
    void __ubsan_handle_##name(void *d, ##__VA_ARGS__)                       \
    {                                                                        \
        struct typed_data *t = d;                                            \
        report(&t->loc, kind, type_name(t->type));                           \
    }                                                                        \
    void __ubsan_handle_##name##_abort(void *d, ##__VA_ARGS__)               \
    {                                                                        \
        struct typed_data *t = d;                                            \
        report(&t->loc, kind, type_name(t->type));                           \
    }

TYPED_HANDLER(add_overflow, "integer overflow in an addition", void *a, void *b)
TYPED_HANDLER(sub_overflow, "integer overflow in a subtraction", void *a, void *b)
TYPED_HANDLER(mul_overflow, "integer overflow in a multiplication", void *a, void *b)
TYPED_HANDLER(negate_overflow, "integer overflow in a negation", void *a)
TYPED_HANDLER(divrem_overflow, "division by zero or overflow", void *a, void *b)
TYPED_HANDLER(load_invalid_value, "load of an invalid value", void *a)
TYPED_HANDLER(vla_bound_not_positive, "variable-length array bound not positive", void *a)
TYPED_HANDLER(out_of_bounds, "array index out of bounds", void *a)
HANDLER(builtin_unreachable, "unreachable code reached")
HANDLER(missing_return, "end of a non-void function reached without return")
HANDLER(nonnull_arg, "NULL passed as a nonnull argument")
HANDLER(pointer_overflow, "pointer arithmetic overflow", void *a, void *b)
HANDLER(invalid_builtin, "invalid argument to a builtin")
HANDLER(float_cast_overflow, "float to integer conversion overflow", void *a)

__attribute__((noreturn)) void __ubsan_handle_nonnull_return_v1(void *d, struct source_location *loc);
__attribute__((noreturn)) void __ubsan_handle_nonnull_return_v1_abort(void *d, struct source_location *loc);
void __ubsan_handle_nonnull_return_v1(void *d, struct source_location *loc)
{
    (void)d;
    report(loc, "NULL returned from a returns_nonnull function", "");
}

void __ubsan_handle_nonnull_return_v1_abort(void *d, struct source_location *loc)
{
    (void)d;
    report(loc, "NULL returned from a returns_nonnull function", "");
}

static void shift(void *d, uint64_t lhs, uint64_t rhs)
{
    struct shift_data *s = d;
    char detail[96];
    ksnprintf(detail, sizeof(detail), "%s shifted by %lld",
              type_name(s->lhs), (long long)rhs);
    (void)lhs;
    report(&s->loc, "shift out of bounds", detail);
}

__attribute__((noreturn)) void __ubsan_handle_shift_out_of_bounds(void *d, uint64_t lhs, uint64_t rhs);
__attribute__((noreturn)) void __ubsan_handle_shift_out_of_bounds_abort(void *d, uint64_t lhs, uint64_t rhs);
void __ubsan_handle_shift_out_of_bounds(void *d, uint64_t lhs, uint64_t rhs)
{
    shift(d, lhs, rhs);
    __builtin_unreachable();
}

void __ubsan_handle_shift_out_of_bounds_abort(void *d, uint64_t lhs, uint64_t rhs)
{
    shift(d, lhs, rhs);
    __builtin_unreachable();
}

static void mismatch(void *d, uint64_t ptr)
{
    static const char *const kinds[] = {
        "load of", "store to", "reference binding to", "member access within",
        "member call on", "constructor call on", "downcast of", "downcast of",
        "upcast of", "cast to virtual base of", "_Nonnull binding to",
        "dynamic operation on",
    };
    struct type_mismatch_data *m = d;
    char detail[128];
    const char *k = m->type_check_kind < ARRAY_SIZE(kinds) ? kinds[m->type_check_kind] : "access to";
    uint64_t align = 1ULL << m->log_alignment;

    if (ptr == 0)
        ksnprintf(detail, sizeof(detail), "%s a NULL pointer of type %s", k, type_name(m->type));
    else if (align > 1 && (ptr & (align - 1)) != 0)
        ksnprintf(detail, sizeof(detail), "%s misaligned address %#llx for type %s (needs %llu-byte alignment)",
                  k, (unsigned long long)ptr, type_name(m->type), (unsigned long long)align);
    else
        ksnprintf(detail, sizeof(detail), "%s address %#llx with too little space for type %s",
                  k, (unsigned long long)ptr, type_name(m->type));
    report(&m->loc, "type mismatch", detail);
}

__attribute__((noreturn)) void __ubsan_handle_type_mismatch_v1(void *d, uint64_t ptr);
__attribute__((noreturn)) void __ubsan_handle_type_mismatch_v1_abort(void *d, uint64_t ptr);
void __ubsan_handle_type_mismatch_v1(void *d, uint64_t ptr)
{
    mismatch(d, ptr);
    __builtin_unreachable();
}

void __ubsan_handle_type_mismatch_v1_abort(void *d, uint64_t ptr)
{
    mismatch(d, ptr);
    __builtin_unreachable();
}
