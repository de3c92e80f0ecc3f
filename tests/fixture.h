/*  fixture.h: the path of a file in tests/fixtures, found from the repository root (where
    `make test` runs) or from the test binary's folder (build/tests/). Caller frees. */
#ifndef KULAK_TEST_FIXTURE_H
#define KULAK_TEST_FIXTURE_H

#include "kulak/util.h"

#include <stdlib.h>
#include <sys/stat.h>

static inline char *
fixture (const char *name)
{
    struct stat st;
    char *path = kulak_sprintf ("tests/fixtures/%s", name);
    if (stat (path, &st) == 0)
        return path;
    free (path);
    char *exe = kulak_exe_dir ();
    path = kulak_sprintf ("%s/../../tests/fixtures/%s", exe, name);
    free (exe);
    return path;
}

#endif
