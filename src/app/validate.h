/* validate.h - the physics checks behind `lihop validate` (DESIGN section 9). */
#ifndef LIHOP_VALIDATE_H
#define LIHOP_VALIDATE_H

#include "status.h"

typedef struct {
    char name[48];
    char what[160];          /* the claim, with its tolerance */
    double expected;
    double measured;
    double error;            /* standard error of measured (0 when not applicable) */
    double tolerance;        /* allowed |measured - expected| (or bound, see what) */
    char unit[24];
    int pass;
    double wall_s;
} lihop_check_result;

typedef lihop_status (*lihop_check_fn)(int threads, lihop_check_result *out, lihop_err *err);

typedef struct {
    const char *name;
    const char *summary;
    lihop_check_fn run;
} lihop_check;

/* Fill a result row; pass = |measured - expected| <= tol. */
void lihop_check_set_row(lihop_check_result *o, const char *what, double expected, double measured, double error,
                         double tol, const char *unit);

/* The registry: all checks in order; *n receives the count. */
const lihop_check *lihop_validate_checks(int *n);

#endif
