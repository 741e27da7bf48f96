# What people run: demo, test, check, lint, the packages, fuzzing, the
# suites of one platform, benchmarks, clean and help.

.PHONY: deps demo test check lint debs package-test dist sign fuzz fuzz-storm bench clean help \
	verify-windows verify-linux

# Installs what the build and the tests need (Debian packages), once.
deps:
	@scripts/install-deps.sh

demo: deps
	@echo "[build] make all (mingw-w64 for Windows, Kbuild for the module, cc for the rest)"
	@$(MAKE) --no-print-directory -s all
	@scripts/demo.sh

test: deps
	@echo "[build] make all (mingw-w64 for Windows, Kbuild for the module, cc for the rest)"
	@$(MAKE) --no-print-directory -s all
	@tests/run.sh

lint: deps
	@scripts/lint.sh

# The fast loop, under a minute: the core's unit tests, the NT model (ASan +
# UBSan, TSan) and a short fuzzing pass; no Wine, no QEMU. 'make test' runs
# the same and everything else.
check: deps
	@$(MAKE) --no-print-directory -s host
	@tests/check.sh

# The Debian packages (spotless-dkms, libspotless0, libspotless-dev,
# spotless) into build/package/, with lintian's report.
debs: deps
	@scripts/package/debs.sh

# The .debs installed with apt into a debootstrap'd Debian 12 (cached in
# ~/.cache/spotless/rootfs) booted in QEMU: DKMS, udev, a user in group
# spotless and one outside it, then a purge that must leave nothing.
package-test: deps
	@scripts/package/test.sh

# Authenticode (SHA-256) signatures for a Windows test machine, into
# build/windows/signed; SIGN_CERT/SIGN_KEY or SIGN_PFX/SIGN_PASS for your own.
sign: deps
	@$(MAKE) --no-print-directory -s windows
	@scripts/sign.sh

# The Windows package: build/dist/spotless-VERSION-windows-x64.zip (signed
# .sys, .exe, .dll, INF, PDB, import and static libraries, headers, docs).
dist: deps
	@$(MAKE) --no-print-directory -s windows
	@scripts/dist-windows.sh

# Fuzz the core for FUZZ_SECONDS (default 600) on both cores, keeping the
# corpus in build/fuzz/corpus; a finding is written to build/fuzz/.
FUZZ_SECONDS ?= 600
fuzz: deps
	@$(MAKE) --no-print-directory -s $(HOST)/fuzz_core
	@mkdir -p $(BUILD)/fuzz/corpus
	cd $(BUILD)/fuzz && ../host/fuzz_core -max_total_time=$(FUZZ_SECONDS) \
		-jobs=2 -workers=2 -print_final_stats=1 corpus

# The NT model's suite (ASan + UBSan, then TSan), its random run repeated
# with new seeds for VERIFY_SECONDS each (default 0: the short pass of make
# test); non-zero on any broken rule.
VERIFY_SECONDS ?= 0
verify-windows: deps
	@$(MAKE) --no-print-directory -s $(HOST)/test_ntmodel $(HOST)/test_ntmodel_tsan
	@scripts/verify-windows.sh $(VERIFY_SECONDS)

# The module's suite on one kernel: KERNEL=debug (default; KASAN, lockdep,
# kmemleak, UBSAN, fault injection), kcsan (KCSAN), 6.1, 6.12, 6.12-rt or newest (Debian
# unstable's kernel, the module built in an unstable root).
KERNEL ?= debug
verify-linux: deps
	@$(MAKE) --no-print-directory -s linux
	@scripts/verify-linux.sh $(KERNEL) $(STORM_REQUESTS_VERIFY)

# The IOCTL storm at length: STORM_REQUESTS (default 10^6) at each driver,
# seeded by STORM_SEED (default: the time, printed), with progress lines.
STORM_REQUESTS ?= 1000000
fuzz-storm: deps
	@$(MAKE) --no-print-directory -s all
	@scripts/storm.sh $(STORM_REQUESTS) "$(STORM_SEED)" $(STORM_ON)

# Benchmarks on both kernels, and their report in BENCH_OUT (default
# bench/results/DATE-HOST); BENCH_ARGS go to 'spotless bench'.
bench: deps
	@$(MAKE) --no-print-directory -s all
	@scripts/bench.sh $(BENCH_OUT) -- $(BENCH_ARGS)

clean:
	rm -rf $(BUILD)/windows $(BUILD)/host $(BUILD)/dist $(BUILD)/package \
		$(BUILD)/package-guest $(BUILD)/install-test $(BUILD)/logs $(BUILD)/linux/module \
		$(LINUX)/spotless $(LINUX)/test_module $(LINUX)/test_module32 \
		$(LINUX)/spotless_storm $(LINUX)/fault_injection $(LINUX)/kernels \
		$(LINUX)/*.cpio.gz $(LINUX)/*.dep $(LINUX)/hello $(LINUX)/crc_bench \
		$(LINUX)/null_misc $(USERLAND)

help:
	@echo "make demo   install what is missing, build, show the tutorial's exchange and"
	@echo "            the driver's log: spotless.sys under Wine, spotless.ko in QEMU"
	@echo "make test   install what is missing, build, run every test"
	@echo "make check  the fast loop, under a minute: unit tests, the NT model (ASan+UBSan,"
	@echo "            TSan), a short fuzzing pass; no Wine, no QEMU"
	@echo "make userland  libspotless (.so, .a) and the CLI for this machine, in seconds"
	@echo "make lint   static analysis (cppcheck, clang --analyze); also part of make test"
	@echo "make install  libspotless.so.0 and .a, headers, spotless.pc, the CLI, man pages,"
	@echo "            bash completion, the module's DKMS tree in /usr/src, the udev rule;"
	@echo "            DESTDIR, PREFIX (default /usr/local), LIBDIR, ...; make uninstall"
	@echo "make debs   the Debian packages, with lintian, into build/package/"
	@echo "make package-test  the .debs installed with apt in a Debian 12 guest (QEMU):"
	@echo "            DKMS, udev rule, group access, purge; also part of make test"
	@echo "make sign   sign spotless.sys, .exe and .dll (test certificate, or yours)"
	@echo "make dist   the Windows zip: signed .sys/.exe/.dll, INF, PDB, libraries, headers"
	@echo "make fuzz   fuzz the core for FUZZ_SECONDS (default 600)"
	@echo "make verify-linux KERNEL=debug|kcsan|6.1|6.12|6.12-rt|newest  the module's suite in QEMU on"
	@echo "            that kernel (debug: KASAN, lockdep, kmemleak, UBSAN, fault injection)"
	@echo "make verify-windows  the driver's sources under the NT model (Windows' I/O"
	@echo "            rules, Verifier's checks) with ASan+UBSan and TSan; random run"
	@echo "            repeated for VERIFY_SECONDS (default: the short pass)"
	@echo "make fuzz-storm  STORM_REQUESTS (default 10^6) random requests at each loaded"
	@echo "            driver, seed STORM_SEED (default: the time), the module on STORM_KERNEL"
	@echo "            (default debug); crashes, hangs, leaks and kernel reports fail"
	@echo "make bench  benchmarks on both kernels, report and plots in bench/results/"
	@echo "make all    build only (build/windows, build/host, build/linux)"
	@echo "make build/linux/module/spotless.ko KVER=\$$(uname -r)  the module for another"
	@echo "            kernel, from /lib/modules/KVER/build (or /usr/src/linux-headers-KVER)"
	@echo "make clean  remove build outputs (keeps the Wine prefix and the kernels in"
	@echo "            build/linux/kernel and ~/.cache/spotless)"
