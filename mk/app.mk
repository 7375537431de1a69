# SPDX-License-Identifier: BSD-2-Clause
#
# Included by an app's two-line Makefile:
#
#     APP := myapp
#     include $(or $(XENOLITH),../..)/mk/app.mk
#
# `make` in the app's directory builds build/<app>/<app>.elf: under the
# Xenolith tree's build/ for an app inside the tree, under the app's own
# directory for one outside it (make XENOLITH=/path/to/xenolith).
# `make run` boots it; ARGS="..." sets its command line.
# Optional settings an app's Makefile may add before the include line:
#     XL_TYPE := pv           guest type in build/<app>/<app>.xl: pvh (default) or pv
#     XL_MEMORY := 4          domain memory in MB for build/<app>/<app>.xl (16)
#     XL_VIF := 1             give the guest a network interface (on xenbr0)
#     XL_DISK := /path/img    give the guest a disk (xvda)
#     XL_DISK_MB := 64        the app needs a disk: without XL_DISK, the build
#                             creates build/<app>/disk.img of this many MiB
#                             (blank) once and keeps it across runs
#     XL_MODULE := path       the guest's boot module (ramdisk= in the .xl file;
#                             MODULE=file for make run replaces it)
#     XL_CMDLINE := ...       the guest's command line in the .xl file
#     APP_CFLAGS := ...       extra compiler flags for the app's files
#     APP_BUILD := build.sh   the app is built by its own build system: this
#                             script in its directory, run with the SDK's
#                             x86_64-xenolith-gcc first on PATH, makes the
#                             image given as its argument (apps/redis)
#
# The top-level Makefile includes the app's Makefile to read these, with
# XENOLITH_TOP set; then this file defines nothing.
ifndef XENOLITH_TOP
XENOLITH_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
APP_HERE := $(CURDIR)
ifeq ($(filter $(XENOLITH_ROOT)/%,$(APP_HERE)),)
APP_BUILD := O=$(APP_HERE)/build
endif

.PHONY: all run clean
all:
	@$(MAKE) --no-print-directory -C $(XENOLITH_ROOT) app APP=$(APP_HERE) $(APP_BUILD)
run:
	@$(MAKE) --no-print-directory -C $(XENOLITH_ROOT) run APP=$(APP_HERE) $(APP_BUILD) ARGS='$(ARGS)'
clean:
	rm -rf $(if $(APP_BUILD),$(APP_HERE)/build/$(notdir $(APP_HERE)),$(XENOLITH_ROOT)/build/$(notdir $(APP_HERE)))
endif
