/*  check.h: the smallest test harness that does what we need. A test file defines
    TEST (name) functions and calls RUN (name) for each from main (); every CHECK that
    fails prints where and why, and each test prints one line the runner counts:
        PASS name
        FAIL name: file:line: what did not hold
    main () returns CHECK_RESULT (): nonzero when any test failed. */
#ifndef KULAK_TEST_CHECK_H
#define KULAK_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures_in_test;
static int check_failed_tests;
static int check_passed_tests;

#define TEST(name) static void name (void)

#define CHECK(cond) do { \
    if (!(cond)) { \
        if (!check_failures_in_test++) \
            printf ("FAIL %s: %s:%d: %s\n", check_current, __FILE__, __LINE__, #cond); \
        else \
            printf ("     also %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    } \
} while (0)

#define CHECK_STR(actual, expected) do { \
    const char *check_a = (actual), *check_e = (expected); \
    if (!check_a || !check_e || strcmp (check_a, check_e) != 0) { \
        if (!check_failures_in_test++) \
            printf ("FAIL %s: %s:%d: %s is \"%s\", expected \"%s\"\n", check_current, __FILE__, \
                    __LINE__, #actual, check_a ? check_a : "(null)", check_e ? check_e : "(null)"); \
        else \
            printf ("     also %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
                    #actual, check_a ? check_a : "(null)", check_e ? check_e : "(null)"); \
    } \
} while (0)

static const char *check_current = "";

#define RUN(name) do { \
    check_current = #name; \
    check_failures_in_test = 0; \
    name (); \
    if (check_failures_in_test) \
        check_failed_tests++; \
    else { \
        check_passed_tests++; \
        printf ("PASS %s\n", #name); \
    } \
    fflush (stdout); \
} while (0)

#define CHECK_RESULT() (check_failed_tests ? 1 : 0)

#endif
