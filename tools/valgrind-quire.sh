#!/bin/sh
# Runs bin/quire under valgrind's memcheck for `make valgrind`: any memory
# error or definite/indirect leak makes the run exit 99, which the CLI tests
# then report as a failure. QUIRE_REAL_BIN names the binary.
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    "${QUIRE_REAL_BIN:?}" "$@"
