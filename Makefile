# System device hot-plug framework: patch series workspace.
# Every target is a thin wrapper around host/shp.py; build output goes to build/.

SHP := python3 host/shp.py

.PHONY: help demo base assemble export series kunit check test guest baseline bench fresh-check clean

help:
	@echo "make demo       the tour: boot the patched kernel, hot-plug through the framework, show each request"
	@echo "make test       the one test command: KUnit, series checks, guest scenarios, summary line"
	@echo "make series     write the patch series to build/series/"
	@echo "make base       extract the base 6.12 tree into build/linux (a git commit tagged shp-base)"
	@echo "make assemble   git am patches/ onto the base: branch series of build/linux (incremental)"
	@echo "make export     write the series branch of build/linux (edited with git) back to patches/"
	@echo "make kunit      run the KUnit suites (UML, UML without fault injection, x86_64)"
	@echo "make check      git am the series, build every commit, checkpatch, W=1, sparse"
	@echo "make guest [KIND=base] [SCENARIOS='a b']  build the x86_64 guest, run scenarios under QEMU"
	@echo "make baseline   every scenario on the patched kernel, then on the unpatched base"
	@echo "make bench [BENCH_BOOTS=6]  time hot-plug operations on the patched and the base kernel, side by side"
	@echo "make fresh-check  make test of a clone of HEAD in a new minimal Debian (debootstrap, chroot; root)"
	@echo "make clean      remove build/"

demo:
	python3 host/demo.py

base:
	$(SHP) base

assemble:
	$(SHP) assemble

export:
	$(SHP) export

series:
	$(SHP) series

kunit:
	$(SHP) kunit

check:
	$(SHP) check

test:
	python3 host/make_test.py

KIND ?= patched
guest:
	python3 host/guest.py $(KIND)

baseline:
	python3 host/guest.py patched base

bench:
	python3 host/bench.py

fresh-check:
	bash host/fresh-check.sh

clean:
	rm -rf build
