#!/bin/bash
# test_hibob.sh against the emulator's --hibob-shape nested answers.
export HRSYNC_E2E_EMU_ARGS="--hibob-shape nested"
. "$HRSYNC_SRC/tests/e2e/test_hibob.sh"
