/*
 * test_relevance.c - the ranking regression gate: Quire's nDCG@10 on
 * Cranfield and on the judged corpus set (tests/relevance/) must not drop
 * more than 0.01 below the figures recorded in tests/relevance/recorded.json.
 * The measuring is tools/eval/relevance.py --gate, through the CLI; this test
 * runs it and shows its report when it fails. To record new figures after a
 * deliberate ranking change: tools/eval/relevance.py --gate
 * tests/relevance/recorded.json --record (and say why in the commit).
 */
#include <criterion/criterion.h>

#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

Test(relevance, ndcg_does_not_regress, .timeout = 600)
{
    char cmd[8192], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd,
             "python3 tools/eval/relevance.py --gate tests/relevance/recorded.json "
             "--quire '%s' --work '%s/eval'",
             th_bin(), th_tmpdir());
    const int status = th_run(cmd, &out, &err);
    cr_expect_eq(status, 0, "relevance gate failed:\n%s%s", out ? out : "", err ? err : "");
    free(out);
    free(err);
    th_cleanup();
}
