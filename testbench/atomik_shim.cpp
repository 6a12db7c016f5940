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

void atomik_shim_step(void* handle, int n, const uint8_t* in_ctl, const uint32_t* in_addr, const uint32_t* in_data,
                      uint8_t* out_ctl, uint32_t* out_waddr, uint32_t* out_rdata, uint32_t* out_wref,
                      uint32_t* out_wacc) {
    Vatomik_unit& t = static_cast<Shim*>(handle)->top;
    auto* r = t.rootp;
    for (int i = 0; i < n; ++i) {
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
        get(t.result_data_o, out_rdata + size_t(i) * WORDS);
        get(r->atomik_unit__DOT__wr_ref, out_wref + size_t(i) * WORDS);
        get(r->atomik_unit__DOT__wr_acc, out_wacc + size_t(i) * WORDS);
        t.clk_i = 1;
        t.eval();
        t.clk_i = 0;
    }
}
}
