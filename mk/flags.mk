# SPDX-License-Identifier: BSD-2-Clause
# Compiler flags shared by the kernel, the apps and the third-party libraries
# (tools/deps.sh builds newlib, lwIP and libfdt with DEPS_CFLAGS).
#
# -mno-red-zone: exception frames land on the current stack.
# -fno-pic -fno-pie -mcmodel=small: the image is linked low (below 1 MiB).
# -fno-omit-frame-pointer: the crash handler walks frame pointers.
# -fstack-protector-strong with a global guard: the kernel provides
#  __stack_chk_guard (randomised at boot) and __stack_chk_fail.
BASE_CFLAGS := -O2 -g -mno-red-zone -fno-pic -fno-pie -mcmodel=small \
	-fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
	-fno-omit-frame-pointer -fstack-protector-strong \
	-mstack-protector-guard=global
DEPS_CFLAGS := $(BASE_CFLAGS)
