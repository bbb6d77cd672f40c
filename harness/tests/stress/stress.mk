# The stress suite's programs (harness/tests/stress/), run in the guest by
# harness/tests/stress/run.sh; included by harness/Makefile.
STRESS_PROGS := $(BUILD)/stress/ackwrite $(BUILD)/stress/lying-backend $(BUILD)/stress/abi-fuzz
STRESS_RING  := $(BUILD)/lib/ring.o

all: $(STRESS_PROGS)

$(BUILD)/stress:
	mkdir -p $@

$(BUILD)/stress/%.o: tests/stress/%.c | $(BUILD)/stress
	$(CC) -Ilib $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/stress/ackwrite: $(BUILD)/stress/ackwrite.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(BUILD)/stress/lying-backend: $(BUILD)/stress/lying_backend.o $(STRESS_RING)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(BUILD)/stress/abi-fuzz: $(BUILD)/stress/abi_fuzz.o $(STRESS_RING)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

-include $(wildcard $(BUILD)/stress/*.d)
