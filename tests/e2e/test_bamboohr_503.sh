#!/usr/bin/env bash
# test_bamboohr.sh against the legacy throttling variant
# (--bamboohr-rate-status 503).
export HRSYNC_E2E_EMU_ARGS="--bamboohr-rate-status 503"
. "$HRSYNC_SRC/tests/e2e/test_bamboohr.sh"
