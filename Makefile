# SPDX-License-Identifier: BSD-2-Clause
#
# Xenolith: the only build entry point. See README.md.
#
#   make                       dependencies, then every app under apps/
#   make APP=hello             one app: build/hello/hello.elf (APP may be a path)
#   make run APP=hello         build and boot it (ARGS="..." is its command line)
#   make check                 every test; ends with "N passed, N failed"
#   make soak                  long runs (100,000 connections to httpd)
#   make bench                 benchmarks in one Xen boot (build/bench/)
#   make deps                  build newlib, lwIP, libfdt, Xen headers (cached)
#   make V=1 ...               show full commands
#   make UBSAN=1 ...           the undefined-behaviour-sanitizer build (in build/ubsan)
#   make LWIP_DEBUG=1 ...      with lwIP's debug output (net.debug=tcp,... selects it)
#
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
O ?= $(ROOT)/build$(if $(filter 1,$(UBSAN)),/ubsan)$(if $(filter 1,$(LWIP_DEBUG)),/lwip-debug)
DEPS := $(O)/deps
include $(ROOT)/mk/flags.mk

ifeq ($(V),1)
Q :=
quiet :=
else
Q := @
quiet = @printf '  %-7s %s\n' '$(1)' '$(patsubst $(ROOT)/%,%,$(patsubst $(O)/%,%,$(2)))';
endif

GCCINC := $(shell gcc -print-file-name=include)
NOSTD := -nostdinc -isystem $(DEPS)/include -idirafter $(GCCINC)
WARN := -Wall -Wextra -Werror
# newlib leaves the POSIX feature macros to each platform; these are ours.
POSIX_DEFS := -D__LINUX_ERRNO_EXTENSIONS__ -D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L -D_POSIX_THREADS=1 \
	-D_UNIX98_THREAD_MUTEX_ATTRIBUTES=1 -D_POSIX_READER_WRITER_LOCKS=200809L \
	-D_POSIX_BARRIERS=200809L -D_POSIX_SPIN_LOCKS=200809L
# FD_SETSIZE: select() covers every file descriptor (lwIP is built with the same).
COMMON := -std=gnu11 $(BASE_CFLAGS) $(NOSTD) -MMD -MP $(POSIX_DEFS) -DFD_SETSIZE=256 -ffile-prefix-map=$(ROOT)/= \
	-U__linux__ -U__linux -Ulinux -U__gnu_linux__ -I$(ROOT)/include
# kernel/, arch/, xen/: the only code that sees the Xen headers.
KCFLAGS := $(COMMON) $(WARN) -I$(DEPS)/xeninc -I$(DEPS)/libfdt -D__XEN_INTERFACE_VERSION__=0x00040e00
# lib/: public API, newlib and lwIP only.
LWIP_DEFS := $(if $(filter 1,$(LWIP_DEBUG)),-DXENOLITH_LWIP_DEBUG)
LIBCFLAGS := $(COMMON) $(WARN) -I$(DEPS)/lwip -I$(ROOT)/lib/lwip/include -I$(ROOT)/lib/include \
	-I$(DEPS)/libfdt \
	$(LWIP_DEFS)
APPCFLAGS := $(COMMON) -I$(DEPS)/lwip -I$(ROOT)/lib/lwip/include -I$(DEPS)/libfdt $(LWIP_DEFS)
# UBSAN=1: the project's own code with -fsanitize=undefined; kernel/ubsan.c
# reports each case (kind, file, line) and crashes the guest.
SANITIZE := $(if $(filter 1,$(UBSAN)),-fsanitize=undefined)
$(O)/obj/kernel/ubsan.c.o: SANITIZE :=

# The link address: 64 KiB, so that images fit the smallest domains; an
# image that does not fit below the legacy hole at 639 KiB (QEMU's memory
# map has it; direct QEMU boot needs the image in RAM) is linked again at
# 1 MiB, as is the sanitizer build. LINK_BASE=addr fixes the address.
LINK_BASES := $(if $(LINK_BASE),$(LINK_BASE),$(if $(filter 1,$(UBSAN)),0x100000,0x10000 0x100000))
# max-page-size=64: Xen and QEMU copy each segment from the file, so file
# offsets need not be page-aligned; the pages stay aligned in memory
# (linker.ld), and the image loses the padding between its segments.
LDFLAGS := -nostdlib -static -no-pie -z noexecstack -z max-page-size=64 \
	--gc-sections -T $(ROOT)/linker.ld
# LWIP_DEBUG=1: lwIP's debug output compiled in (net.debug selects it).
LWIP_LIB := $(DEPS)/lib/liblwip$(if $(filter 1,$(LWIP_DEBUG)),-debug).a
# newlib's C library without the members whose calls lib/ replaces
# (signal(), raise(), psignal(): its table knows nothing of sigaction;
# rename() through link(); system() through fork(); _svfprintf_r, the
# string family's copy of the printf engine, through the stream one:
# lib/newlib/svfprintf.c), so the linker cannot pick newlib's before lib/'s.
LIBC := $(O)/obj/lib/libc.a
empty :=
space := $(empty) $(empty)
LIBC_REPLACED := signal psignal rename renamer system assert svfprintf
LIBS = --start-group $(LIBXN) $(LIBC) $(DEPS)/lib/libm.a \
	$(LWIP_LIB) $(DEPS)/lib/libfdt.a --end-group

KSRCS := $(wildcard $(ROOT)/arch/x86_64/*.S $(ROOT)/arch/x86_64/*.c \
	$(ROOT)/kernel/*.c $(ROOT)/xen/*.S $(ROOT)/xen/*.c)
LSRCS := $(wildcard $(ROOT)/lib/newlib/*.c $(ROOT)/lib/lwip/*.c $(ROOT)/lib/fs/*.c $(ROOT)/lib/posix/*.c)
KOBJS := $(patsubst $(ROOT)/%,$(O)/obj/%.o,$(KSRCS))
LOBJS := $(patsubst $(ROOT)/%,$(O)/obj/%.o,$(LSRCS))

# The app: a name under apps/, or a directory path.
APP ?= hello
APP_DIR := $(if $(findstring /,$(APP)),$(abspath $(APP)),$(ROOT)/apps/$(APP))
APP_NAME := $(notdir $(APP_DIR))
APP_OUT := $(O)/$(APP_NAME)
APP_SRCS := $(wildcard $(APP_DIR)/*.c)
APP_OBJS := $(patsubst $(APP_DIR)/%.c,$(APP_OUT)/obj/%.o,$(APP_SRCS))
ELF := $(APP_OUT)/$(APP_NAME).elf
XL := $(APP_OUT)/$(APP_NAME).xl
LIBVIRT_XML := $(APP_OUT)/$(APP_NAME).libvirt.xml
# build/<name>/ is keyed by the directory's name: it records the directory
# it was built from, and is started afresh when that changes (another
# directory of the same name, or the app moved), so that no object or
# dependency file of the old place is reused.
APP_STAMP := $(APP_OUT)/source-dir
APP_PREV := $(shell cat '$(APP_STAMP)' 2>/dev/null)
ifneq ($(APP_PREV),$(APP_DIR))
ifneq ($(APP_PREV),)
$(info make: $(patsubst $(ROOT)/%,%,$(APP_OUT)) was built from $(APP_PREV); building it afresh from $(APP_DIR))
endif
$(shell rm -rf '$(APP_OUT)/obj' '$(APP_STAMP)')
endif

# The app's own settings (XL_TYPE, XL_MEMORY, XL_VIF, XL_DISK, XL_DISK_MB,
# XL_MODULE, XL_CMDLINE, APP_CFLAGS, APP_BUILD; see mk/app.mk). XL_TYPE is pvh or pv: the image boots both
# ways, the xl config picks one.
XL_TYPE ?= pvh
XL_MEMORY := 16
XENOLITH_TOP := 1
XENOLITH := $(ROOT)
-include $(wildcard $(APP_DIR)/Makefile)
# An app that needs a disk sets XL_DISK_MB: unless XL_DISK names one, the
# build creates build/<app>/disk.img of that size (blank) once and keeps
# it, so what one `make run` writes is there in the next.
ifneq ($(XL_DISK_MB),)
ifeq ($(shell echo '$(XL_DISK_MB)' | grep -Ex '[1-9][0-9]{0,6}'),)
$(error XL_DISK_MB must be a size in MiB (1-9999999), not '$(XL_DISK_MB)')
endif
ifeq ($(XL_DISK),)
XL_DISK := $(APP_OUT)/disk.img
APP_DISK := $(XL_DISK)
endif
endif
# Apps inside the tree are project code: warnings are errors there.
APP_WARN := $(if $(filter $(ROOT)/%,$(APP_DIR)),$(WARN),-Wall -Wextra)

ALL_APPS := $(notdir $(wildcard $(ROOT)/apps/*))

.PHONY: all app run check hostile soak bench bench-ab deps unit fuzz fuzz-build fuzz-coverage clean distclean sdk install FORCE
# `make APP=...` builds that app alone; plain `make` builds every app.
.DEFAULT_GOAL := $(if $(filter command line environment,$(origin APP)),app,all)
.SUFFIXES:

all: deps
	$(Q)for a in $(ALL_APPS); do $(MAKE) --no-print-directory app APP=$$a || exit 1; done

deps: $(DEPS)/VERSIONS

$(DEPS)/VERSIONS: $(ROOT)/tools/deps.sh $(ROOT)/tools/debsrc.sh $(ROOT)/mk/flags.mk $(ROOT)/include/sys/dirent.h \
		$(wildcard $(ROOT)/lib/lwip/include/*.h $(ROOT)/lib/lwip/include/arch/*.h $(ROOT)/lib/lwip/patches/*.patch)
	@printf '  %-7s %s\n' DEPS 'newlib, lwIP, libfdt, Xen headers'
	$(Q)DEPS_CFLAGS='$(DEPS_CFLAGS)' $(ROOT)/tools/deps.sh $(DEPS)

app: deps
	@test -d '$(APP_DIR)' || { echo "make: error: no app '$(APP)' (no directory $(APP_DIR); apps: $(ALL_APPS))" >&2; exit 2; }
	@test -n '$(APP_SRCS)$(APP_BUILD)' || { echo "make: error: app '$(APP)' has no .c files in $(APP_DIR)" >&2; exit 2; }
	@mkdir -p '$(APP_OUT)' && echo '$(APP_DIR)' >'$(APP_STAMP)'
	$(Q)$(MAKE) --no-print-directory $(ELF) $(XL) $(LIBVIRT_XML) $(APP_DISK)

$(O)/obj/%.S.o: $(ROOT)/%.S $(ROOT)/mk/flags.mk $(ROOT)/Makefile | deps
	@mkdir -p $(dir $@)
	$(call quiet,AS,$<)gcc $(KCFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(O)/obj/lib/%.c.o: $(ROOT)/lib/%.c $(ROOT)/mk/flags.mk $(ROOT)/Makefile | deps
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)gcc $(LIBCFLAGS) $(SANITIZE) -c $< -o $@

$(O)/obj/%.c.o: $(ROOT)/%.c $(ROOT)/mk/flags.mk $(ROOT)/Makefile | deps
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)gcc $(KCFLAGS) $(SANITIZE) -c $< -o $@

$(APP_OUT)/obj/%.o: $(APP_DIR)/%.c $(ROOT)/mk/flags.mk $(ROOT)/Makefile | deps
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)gcc $(APPCFLAGS) $(APP_WARN) $(APP_CFLAGS) $(SANITIZE) -c $< -o $@

# argv[0] and the log's app name.
$(APP_OUT)/appinfo.c: FORCE
	@mkdir -p $(dir $@)
	@echo 'const char xn_app_name[] = "$(APP_NAME)";' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(APP_OUT)/appinfo.o: $(APP_OUT)/appinfo.c
	$(call quiet,CC,$<)gcc $(APPCFLAGS) -c $< -o $@

# Two links: the second adds the symbol table for backtraces, which goes
# last in the image, so every other address stays where the first put it.
# lib/ is an archive, so an image links only the parts its app uses (the
# socket layer, with its start-up constructor, only when it uses sockets).
LIBXN := $(O)/obj/lib/libxenolith.a
SDK := $(O)/sdk
$(LIBC): $(DEPS)/VERSIONS $(ROOT)/Makefile
	@mkdir -p $(dir $@)
	$(call quiet,AR,$@)cp $(DEPS)/lib/libc.a $@.tmp && \
	    ar d $@.tmp $$(ar t $@.tmp | grep -xE 'lib_a-($(subst $(space),|,$(strip $(LIBC_REPLACED))))\.o') && \
	    mv $@.tmp $@
# A program's own names never meet the platform's (docs/architecture.md):
# lib/'s globals that no public header declares get the reserved prefix
# __xn_ in the archive (tools/lib-internal-syms.sh), and the kernel is one
# object whose only globals are the public API (xn_*), its entry point and
# what the C library calls (the stack protector, the sanitizer's
# handlers); everything else in it is local.
LIB_HEADER_DIRS = $(DEPS)/include $(ROOT)/include $(DEPS)/lwip $(ROOT)/lib/lwip/include $(DEPS)/libfdt
$(LIBXN): $(LOBJS) $(ROOT)/tools/lib-internal-syms.sh
	$(call quiet,AR,$@)rm -f $@ $@.tmp && ar rcs $@.tmp $(LOBJS) && \
	    $(ROOT)/tools/lib-internal-syms.sh $@.tmp $(LIB_HEADER_DIRS) >$(O)/obj/lib/internal.syms && \
	    objcopy --redefine-syms=$(O)/obj/lib/internal.syms $@.tmp && ranlib $@.tmp && mv $@.tmp $@
KERNEL_O := $(O)/obj/kernel.o
KERNEL_GLOBALS := --wildcard --keep-global-symbol='xn_*' --keep-global-symbol=pvh_start32 \
	--keep-global-symbol='__stack_chk_*' --keep-global-symbol='__ubsan_*'
$(KERNEL_O): $(KOBJS)
	$(call quiet,LD,$@)ld -r --unique -z noexecstack -o $@.tmp $(KOBJS) && objcopy $(KERNEL_GLOBALS) $@.tmp $@ && rm -f $@.tmp
# White-box tests of the platform (tests/xen/platform and the like) call
# its internal functions: APP_KERNEL_INTERNALS := 1 links its objects as
# they are.
LINK_KERNEL = $(if $(APP_KERNEL_INTERNALS),$(KOBJS),$(KERNEL_O))
LINK_OBJS = $(LINK_KERNEL) $(APP_OBJS) $(APP_OUT)/appinfo.o
ifneq ($(APP_BUILD),)
# An app built by its own build system (APP_BUILD in its Makefile: a
# script in its directory, e.g. apps/redis/build.sh): it runs every time
# with the SDK's compiler driver first on PATH and leaves the image at
# (its first argument); its own build decides what is out of date.
$(ELF): $(SDK)/bin/x86_64-xenolith-gcc FORCE
	@mkdir -p $(dir $@)
	$(Q)PATH='$(SDK)/bin':"$$PATH" '$(APP_DIR)/$(APP_BUILD)' $@
	$(Q)strip -o $(APP_OUT)/$(APP_NAME).stripped $@
	@printf '  %-7s %s (%s bytes stripped)\n' IMAGE '$(patsubst $(ROOT)/%,%,$@)' \
		"$$(stat -c %s $(APP_OUT)/$(APP_NAME).stripped)"
else
$(ELF): $(LINK_KERNEL) $(LIBXN) $(LIBC) $(APP_OBJS) $(APP_OUT)/appinfo.o $(ROOT)/linker.ld $(ROOT)/tools/mksyms.sh
	$(call quiet,LD,$@)for base in $(LINK_BASES); do \
	    ld --defsym=__link_base=$$base $(LDFLAGS) -o $@.pass1 $(LINK_OBJS) $(LIBS) && \
	    $(ROOT)/tools/mksyms.sh $@.pass1 > $(APP_OUT)/ksyms.S && \
	    gcc -c $(APP_OUT)/ksyms.S -o $(APP_OUT)/ksyms.o && \
	    ld --defsym=__link_base=$$base $(LDFLAGS) -o $@ $(LINK_OBJS) $(APP_OUT)/ksyms.o $(LIBS) || exit 1; \
	    $(ROOT)/tools/mksyms.sh $@ | cmp -s - $(APP_OUT)/ksyms.S || \
		{ echo "link: symbol addresses moved between the two links of $@" >&2; rm -f $@; exit 1; }; \
	    end=$$(nm $@ | awk '$$3 == "__image_end" { print $$1 }'); \
	    [ $$((0x$$end)) -le $$((0x9fc00)) ] && break; true; \
	done
	$(Q)rm -f $@.pass1
	$(Q)strip -o $(APP_OUT)/$(APP_NAME).stripped $@
	@printf '  %-7s %s (%s bytes stripped)\n' IMAGE '$(patsubst $(ROOT)/%,%,$@)' \
		"$$(stat -c %s $(APP_OUT)/$(APP_NAME).stripped)"
endif

# An xl config that starts the image as it is on a Xen host.
$(XL): $(ELF) $(wildcard $(APP_DIR)/Makefile) $(ROOT)/tools/xen/mkxl.sh FORCE
	$(Q)$(ROOT)/tools/xen/mkxl.sh --name $(APP_NAME) --kernel $(ELF) \
		--type $(XL_TYPE) --memory $(XL_MEMORY) --cmdline '$(XL_CMDLINE)' \
		$(if $(filter 1,$(XL_VIF)),--vif) $(if $(XL_DISK),--disk $(XL_DISK)) \
		$(if $(XL_MODULE),--module $(XL_MODULE)) > $@.tmp
	$(Q)cmp -s $@.tmp $@ && rm -f $@.tmp || { mv $@.tmp $@; printf '  %-7s %s\n' XL '$(patsubst $(ROOT)/%,%,$@)'; }

# The same guest as a libvirt domain (libxl driver): docs/operations.md.
$(LIBVIRT_XML): $(ELF) $(wildcard $(APP_DIR)/Makefile) $(ROOT)/tools/xen/mklibvirt.sh FORCE
	$(Q)$(ROOT)/tools/xen/mklibvirt.sh --name $(APP_NAME) --kernel $(ELF) \
		--type $(XL_TYPE) --memory $(XL_MEMORY) --cmdline '$(XL_CMDLINE)' \
		$(if $(filter 1,$(XL_VIF)),--vif) $(if $(XL_DISK),--disk $(XL_DISK)) \
		$(if $(XL_MODULE),--module $(XL_MODULE)) > $@.tmp
	$(Q)cmp -s $@.tmp $@ && rm -f $@.tmp || { mv $@.tmp $@; printf '  %-7s %s\n' LIBVIRT '$(patsubst $(ROOT)/%,%,$@)'; }

# The app's own disk (XL_DISK_MB), made once: an existing one is kept,
# whatever its size.
$(APP_OUT)/disk.img:
	@mkdir -p $(dir $@)
	$(Q)rm -f $@.tmp && truncate -s $(XL_DISK_MB)M $@.tmp && mv $@.tmp $@
	@printf '  %-7s %s\n' DISK '$(patsubst $(ROOT)/%,%,$@) ($(XL_DISK_MB) MiB, blank; kept across builds and runs: delete it to start afresh)'

# Boot the app. TARGET=xen: on Xen (xl in a dom0, else the Xen-in-QEMU
# harness); VIA=libvirt starts it through libvirt (virsh) instead of xl;
# TARGET=qemu: directly in QEMU (PVH entry, microvm).
TARGET ?= xen
VIA ?= xl
run: app
ifeq ($(TARGET),qemu)
	$(Q)$(ROOT)/tools/run-qemu.sh $(if $(or $(MODULE),$(XL_MODULE)),--module $(or $(MODULE),$(XL_MODULE))) $(ELF) '$(ARGS)'
else ifeq ($(TARGET),xen)
	$(Q)MODULE='$(MODULE)' VIA='$(VIA)' $(ROOT)/tools/xen/run-app.sh $(ELF) '$(ARGS)'
else
	@echo "make: error: TARGET must be xen or qemu, not '$(TARGET)'" >&2; exit 2
endif

# Host unit tests under ASan and UBSan.
UNIT_TESTS := $(notdir $(basename $(wildcard $(ROOT)/tests/unit/test_*.c)))
# The parts that need no hardware, also built on the host.
UNIT_PURE := $(ROOT)/kernel/fmt.c $(ROOT)/kernel/cmdline.c $(ROOT)/kernel/ranges.c \
	$(ROOT)/kernel/ksyms.c $(ROOT)/xen/pvh_parse.c $(ROOT)/xen/pvclock.c $(ROOT)/xen/xs_ring.c \
	$(ROOT)/xen/gntref.c $(ROOT)/xen/xs_value.c $(ROOT)/xen/pv_parse.c \
	$(ROOT)/xen/netfront_ring.c $(ROOT)/xen/blkfront_ring.c $(ROOT)/kernel/config_parse.c \
	$(ROOT)/kernel/config_tree.c \
	$(ROOT)/lib/fs/tar.c $(ROOT)/apps/httpd/http_parse.c $(ROOT)/apps/kvstore/resp.c \
	$(ROOT)/apps/kvstore/log.c \
	$(addprefix $(DEPS)/libfdt-src/,fdt.c fdt_ro.c fdt_rw.c fdt_sw.c fdt_wip.c fdt_strerror.c \
	fdt_empty_tree.c)
# The libfdt sources appear with the dependencies (in the cache: make must
# never delete them as intermediate files of this rule).
$(DEPS)/libfdt-src/%.c: $(DEPS)/VERSIONS ; @:
.PRECIOUS: $(DEPS)/libfdt-src/%.c
HOST_INCS := -I$(ROOT)/kernel -I$(ROOT)/tests/unit -I$(DEPS)/xeninc -I$(DEPS)/libfdt-src \
	-D__XEN_INTERFACE_VERSION__=0x00040e00
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer $(HOST_INCS)
unit: deps $(addprefix $(O)/unit/,$(UNIT_TESTS))
# A test may include the file it tests (test_xs_client.c: xen/xs.c).
UNIT_DEPS := $(ROOT)/lib/newlib/ldouble.c $(wildcard $(ROOT)/kernel/*.h $(ROOT)/xen/*.[ch] $(ROOT)/arch/x86_64/*.h $(ROOT)/lib/fs/*.h \
	$(ROOT)/apps/httpd/*.h $(ROOT)/apps/kvstore/*.h)
$(O)/unit/%: $(ROOT)/tests/unit/%.c $(UNIT_PURE) $(UNIT_DEPS) $(ROOT)/tests/unit/test.h | deps
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC,$@)gcc $(UNIT_CFLAGS) -o $@ $< $(UNIT_PURE) -lm

# Fuzzing: a libFuzzer target (clang, with ASan and UBSan) per parser of
# outside input, in tests/fuzz/, with its seed corpus in
# tests/fuzz/corpus/<target>/. `make fuzz` runs each for FUZZ_TIME seconds
# on a copy of its corpus; a crashing input is saved in
# build/fuzz/crashes/<target>/ (keep it in the corpus once fixed).
FUZZ_TARGETS := $(notdir $(basename $(wildcard $(ROOT)/tests/fuzz/fuzz_*.c)))
FUZZ_TIME ?= 60
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	$(HOST_INCS)
fuzz-build: deps $(addprefix $(O)/fuzz/,$(FUZZ_TARGETS))
$(O)/fuzz/%: $(ROOT)/tests/fuzz/%.c $(UNIT_PURE) $(ROOT)/kernel/kernel.h | deps
	@mkdir -p $(dir $@)
	$(call quiet,FUZZCC,$@)clang $(FUZZ_CFLAGS) -o $@ $< $(UNIT_PURE)
fuzz: fuzz-build
	$(Q)$(ROOT)/tools/fuzz.sh $(O)/fuzz $(FUZZ_TIME) $(FUZZ_TARGETS)

# What each target's seeds reach, per function of the project's own
# files: the targets built with clang's source coverage, run once over
# their corpora (tools/fuzz-coverage.sh).
COV_CFLAGS := -g -O0 -fprofile-instr-generate -fcoverage-mapping -fsanitize=fuzzer $(HOST_INCS)
$(O)/fuzz-coverage/%: $(ROOT)/tests/fuzz/%.c $(UNIT_PURE) $(ROOT)/kernel/kernel.h | deps
	@mkdir -p $(dir $@)
	$(call quiet,COVCC,$@)clang $(COV_CFLAGS) -o $@ $< $(UNIT_PURE)
fuzz-coverage: deps $(addprefix $(O)/fuzz-coverage/,$(FUZZ_TARGETS))
	$(Q)$(ROOT)/tools/fuzz-coverage.sh $(O)/fuzz-coverage '$(filter-out $(DEPS)/%,$(UNIT_PURE))' \
		$(FUZZ_TARGETS)

check:
	$(Q)$(ROOT)/tests/run.sh

# The guest against a hostile backend and Xenstore (tests/hostile.sh): one Xen boot.
hostile:
	$(Q)O='$(O)' $(ROOT)/tests/hostile.sh

# Long runs outside make check (tools/soak.sh): SOAK_CONNECTIONS=N.
soak: deps
	$(Q)O='$(O)' $(ROOT)/tools/soak.sh

# Benchmarks (tools/bench.sh): one Xen boot, a table and build/bench/results.csv.
bench: deps
	$(Q)O='$(O)' $(ROOT)/tools/bench.sh

# One change measured alone (tools/bench-ab.sh): make bench-ab A=REV B=REV,
# or a series in one boot: make bench-ab REVS="R1 R2 R3".
bench-ab:
	$(Q)O='$(O)' $(ROOT)/tools/bench-ab.sh $(or $(REVS),$(A) $(B))

# The SDK (docs/porting.md): a compiler driver, x86_64-xenolith-gcc, whose
# link step makes a bootable image, for programs with their own build
# systems. `make install PREFIX=dir` copies it there (default /usr/local).
SDK_CFLAGS := $(BASE_CFLAGS) $(POSIX_DEFS) -DFD_SETSIZE=256 \
	-U__linux__ -U__linux -Ulinux -U__gnu_linux__ -Uunix -U__unix -U__unix__
sdk: $(SDK)/bin/x86_64-xenolith-gcc
$(SDK)/bin/x86_64-xenolith-gcc: $(KERNEL_O) $(LIBXN) $(LIBC) $(DEPS)/VERSIONS $(ROOT)/linker.ld \
		$(wildcard $(ROOT)/tools/sdk/* $(ROOT)/include/*.h $(ROOT)/include/*/*.h) \
		$(ROOT)/tools/mksyms.sh $(ROOT)/tools/xen/mkxl.sh $(ROOT)/Makefile
	$(Q)SDK_CFLAGS='$(SDK_CFLAGS)' $(ROOT)/tools/sdk/mksdk.sh $(SDK) $(DEPS) $(LIBXN) $(LIBC) $(KERNEL_O)
PREFIX ?= /usr/local
install: sdk
	@mkdir -p '$(PREFIX)' && cp -a $(SDK)/. '$(PREFIX)/'
	@echo "installed the SDK in $(PREFIX): $(PREFIX)/bin/x86_64-xenolith-gcc"

clean:
	rm -rf $(O)/obj $(O)/unit $(SDK) $(addprefix $(O)/,$(ALL_APPS))

distclean:
	rm -rf $(O)

-include $(wildcard $(O)/obj/*/*.d $(O)/obj/*/*/*.d $(APP_OUT)/obj/*.d)
