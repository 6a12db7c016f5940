// C ABI around the Verilator model of atomik_unit, for lockstep
// co-simulation from Swift (loaded with dlopen). Stimulus goes in and
// outputs come back in batches of cycles, not one call per signal.
//
// Per cycle i of a batch:
//   in_ctl[i]   bit 0 rst_n, bit 1 op_valid, bits 3:2 op_code, bit 4 op_keep
//   in_addr[i]  op_addr
//   in_data     WORDS 32-bit little-endian words per cycle: op_data
//   out_ctl[i]  bit 0 op_ready, bit 1 done, bit 2 result_valid, bit 3 wr_ref_en, bit 4 wr_acc_en
//   out_waddr[i], out_rdata/out_wref/out_wacc (WORDS words each per cycle)
// Outputs and bank writes are sampled after the inputs settle and before the
// rising edge that ends the cycle, as the trace defines them.
//
// Given the cycle model's outputs of the same cycles (exp_*, in the same
// layout), the step also compares each cycle with them, as the Verilator model
// computes the next (the model's batch comes from another core: its loads
// overlap the evaluation here, where a separate pass would wait for them), and
// returns the index of the first cycle that differs, or n. Without them it
// returns n. A cycle matches when out_ctl bits 4:0 are equal, result data is
// equal, and, where the model writes a bank, the address and each written
// bank's value are equal (CycleBuffers.matches in Swift is the same rule).
#include "Vatomik_unit.h"
#include "Vatomik_unit___024root.h"
#include "verilated.h"
#include <cstdint>
#include <cstring>

namespace {
constexpr int WORDS = (ATOMIK_WIDTH + 31) / 32;
}  // namespace
#include "atomik_port_words.h"

namespace {
struct Shim {
    VerilatedContext context;
    Vatomik_unit top{&context};
};

// The batches are written by the cycle model on another core: without help
// the hardware prefetchers lose track of this many streams, and each line
// comes across on demand. Every 8 cycles, the lines of cycles i+64..i+71 of
// each stream are asked for.
constexpr int AHEAD = 64;
template <class T> void prefetch(const T* column, int i, int per_cycle) {
    const char* from = reinterpret_cast<const char*>(column + size_t(i) * per_cycle);
    const char* to = reinterpret_cast<const char*>(column + size_t(i + 8) * per_cycle);
    for (const char* p = from; p < to; p += 64) __builtin_prefetch(p);
}

bool same(const uint32_t* a, const uint32_t* b) {
    for (int w = 0; w < WORDS; ++w)
        if (a[w] != b[w]) return false;
    return true;
}
}  // namespace

extern "C" {
int atomik_shim_words() { return WORDS; }

void* atomik_shim_create() {
    Shim* s = new Shim;
    s->top.clk_i = 0;
    s->top.rst_ni = 0;
    s->top.eval();
    return s;
}

int atomik_shim_step(void* handle, int n, const uint8_t* in_ctl, const uint32_t* in_addr, const uint32_t* in_data,
                     uint8_t* out_ctl, uint32_t* out_waddr, uint32_t* out_rdata, uint32_t* out_wref, uint32_t* out_wacc,
                     const uint8_t* exp_ctl, const uint32_t* exp_waddr, const uint32_t* exp_rdata,
                     const uint32_t* exp_wref, const uint32_t* exp_wacc) {
    Vatomik_unit& t = static_cast<Shim*>(handle)->top;
    auto* r = t.rootp;
    int first = n;
    for (int i = 0; i < n; ++i) {
        if ((i & 7) == 0 && i + AHEAD < n) {
            const int j = i + AHEAD;
            prefetch(in_ctl, j, 1), prefetch(in_addr, j, 1), prefetch(in_data, j, WORDS);
            if (exp_ctl)
                prefetch(exp_ctl, j, 1), prefetch(exp_waddr, j, 1), prefetch(exp_rdata, j, WORDS),
                    prefetch(exp_wref, j, WORDS), prefetch(exp_wacc, j, WORDS);
        }
        const uint8_t c = in_ctl[i];
        t.rst_ni = c & 1;
        t.op_valid_i = (c >> 1) & 1;
        t.op_code_i = (c >> 2) & 3;
        t.op_keep_i = (c >> 4) & 1;
        t.op_addr_i = in_addr[i];
        put(t.op_data_i, in_data + size_t(i) * WORDS);
        t.eval();
        out_ctl[i] = uint8_t(t.op_ready_o | (t.done_o << 1) | (t.result_valid_o << 2)
                             | (r->atomik_unit__DOT__wr_ref_en << 3) | (r->atomik_unit__DOT__wr_acc_en << 4));
        out_waddr[i] = r->atomik_unit__DOT__wr_addr;
        const size_t at = size_t(i) * WORDS;
        get(t.result_data_o, out_rdata + at);
        get(r->atomik_unit__DOT__wr_ref, out_wref + at);
        get(r->atomik_unit__DOT__wr_acc, out_wacc + at);
        if (exp_ctl && first == n) {
            const uint8_t e = exp_ctl[i];
            const bool match = e == out_ctl[i] && same(exp_rdata + at, out_rdata + at)
                && ((e & 0x18) == 0 || exp_waddr[i] == out_waddr[i])
                && ((e & 8) == 0 || same(exp_wref + at, out_wref + at))
                && ((e & 16) == 0 || same(exp_wacc + at, out_wacc + at));
            if (!match) first = i;
        }
        t.clk_i = 1;
        t.eval();
        t.clk_i = 0;
    }
    return first;
}
}
