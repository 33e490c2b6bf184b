#!/usr/bin/env bash
# test_bamboohr.sh against the emulator variant of a tenant that has a
# nationality field (--bamboohr-nationality yes): init keeps it.
export HRSYNC_E2E_EMU_ARGS="--bamboohr-nationality yes"
. "$HRSYNC_SRC/tests/e2e/test_bamboohr.sh"
