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
// With LANES > 1 (ATOMIK_LANES), `lanes` points to nine columns of lanes
// 1..LANES-1, lane j of cycle i at i*(LANES-1)+j-1 (CycleBuffers' lane*):
//   in_ctl, in_addr, in_data (WORDS words), out_ctl (bit 4 the copy's write
//   enable), out_waddr, out_wacc (WORDS words), and the model's exp_ctl,
//   exp_waddr, exp_wacc; lane 0 is in the columns above.
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
#ifndef ATOMIK_LANES
#define ATOMIK_LANES 1
#endif
constexpr int LANES = ATOMIK_LANES;
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

// A port of LANES fields of `bits` bits each, lane k at bit k*bits, as 32-bit
// words: assembled from the columns, or taken apart into them.
constexpr int MAX_PORT_WORDS = (16 * 512 + 31) / 32;
struct PortWords {
    uint32_t w[MAX_PORT_WORDS];
    void clear(int bits) { std::memset(w, 0, sizeof(uint32_t) * ((LANES * bits + 31) / 32)); }
    void set(int lane, int bits, const uint32_t* v) {
        for (int b = 0; b < bits; ++b)
            if ((v[b >> 5] >> (b & 31)) & 1) {
                const int at = lane * bits + b;
                w[at >> 5] |= 1u << (at & 31);
            }
    }
    void get(int lane, int bits, uint32_t* v) const {
        std::memset(v, 0, sizeof(uint32_t) * ((bits + 31) / 32));
        for (int b = 0; b < bits; ++b) {
            const int at = lane * bits + b;
            if ((w[at >> 5] >> (at & 31)) & 1) v[b >> 5] |= 1u << (b & 31);
        }
    }
};
template <class T> void to_port(T& port, const PortWords& p) { port = static_cast<T>(p.w[0] | (uint64_t(p.w[1]) << 32)); }
template <std::size_t N> void to_port(VlWide<N>& port, const PortWords& p) {
    for (std::size_t i = 0; i < N; ++i) port[i] = p.w[i];
}
template <class T> void from_port(const T& port, PortWords& p) {
    const uint64_t v = port;
    p.w[0] = uint32_t(v), p.w[1] = uint32_t(v >> 32);
}
template <std::size_t N> void from_port(const VlWide<N>& port, PortWords& p) {
    for (std::size_t i = 0; i < N; ++i) p.w[i] = port[i];
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
                     const uint32_t* exp_wref, const uint32_t* exp_wacc, const void* const* lanes) {
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
        const size_t at = size_t(i) * WORDS;
        t.rst_ni = c & 1;
#if ATOMIK_LANES == 1
        (void)lanes;
        t.op_valid_i = (c >> 1) & 1;
        t.op_code_i = (c >> 2) & 3;
        t.op_keep_i = (c >> 4) & 1;
        t.op_addr_i = in_addr[i];
        put(t.op_data_i, in_data + size_t(i) * WORDS);
        t.eval();
        out_ctl[i] = uint8_t(t.op_ready_o | (t.done_o << 1) | (t.result_valid_o << 2)
                             | (r->atomik_unit__DOT__wr_ref_en << 3) | (r->atomik_unit__DOT__wr_acc_en << 4));
        out_waddr[i] = r->atomik_unit__DOT__wr_addr;
        get(r->atomik_unit__DOT__wr_acc, out_wacc + at);
#else
        // Lane 0 from the columns above, lanes 1.. from the lane columns.
        const auto* l_in_ctl = static_cast<const uint8_t*>(lanes[0]);
        const auto* l_in_addr = static_cast<const uint32_t*>(lanes[1]);
        const auto* l_in_data = static_cast<const uint32_t*>(lanes[2]);
        auto* l_out_ctl = static_cast<uint8_t*>(const_cast<void*>(lanes[3]));
        auto* l_out_waddr = static_cast<uint32_t*>(const_cast<void*>(lanes[4]));
        auto* l_out_wacc = static_cast<uint32_t*>(const_cast<void*>(lanes[5]));
        const int ab = ATOMIK_ADDR_BITS;
        uint32_t valid = 0, code = 0, keep = 0;
        PortWords addr, data;
        addr.clear(ab), data.clear(ATOMIK_WIDTH);
        for (int k = 0; k < LANES; ++k) {
            const size_t slot = size_t(i) * (LANES - 1) + k - 1;
            const uint8_t lc = k == 0 ? c : l_in_ctl[slot];
            const uint32_t a = k == 0 ? in_addr[i] : l_in_addr[slot];
            valid |= uint32_t((lc >> 1) & 1) << k, code |= uint32_t((lc >> 2) & 3) << (2 * k), keep |= uint32_t((lc >> 4) & 1) << k;
            addr.set(k, ab, &a);
            data.set(k, ATOMIK_WIDTH, k == 0 ? in_data + at : l_in_data + slot * WORDS);
        }
        t.op_valid_i = valid, t.op_code_i = code, t.op_keep_i = keep;
        to_port(t.op_addr_i, addr), to_port(t.op_data_i, data);
        t.eval();
        const uint32_t wen = r->atomik_unit__DOT__wr_acc_en;
        out_ctl[i] = uint8_t(t.op_ready_o | (t.done_o << 1) | (t.result_valid_o << 2)
                             | (r->atomik_unit__DOT__wr_ref_en << 3) | ((wen & 1) << 4));
        from_port(r->atomik_unit__DOT__wr_addr, addr), from_port(r->atomik_unit__DOT__wr_acc, data);
        addr.get(0, ab, out_waddr + i);
        data.get(0, ATOMIK_WIDTH, out_wacc + at);
        bool lanes_match = true;
        for (int k = 1; k < LANES; ++k) {
            const size_t slot = size_t(i) * (LANES - 1) + k - 1;
            l_out_ctl[slot] = uint8_t(((wen >> k) & 1) << 4);
            addr.get(k, ab, l_out_waddr + slot);
            data.get(k, ATOMIK_WIDTH, l_out_wacc + slot * WORDS);
            if (exp_ctl) {
                const auto* e_ctl = static_cast<const uint8_t*>(lanes[6]);
                const auto* e_waddr = static_cast<const uint32_t*>(lanes[7]);
                const auto* e_wacc = static_cast<const uint32_t*>(lanes[8]);
                lanes_match = lanes_match && e_ctl[slot] == l_out_ctl[slot]
                    && (e_ctl[slot] == 0 || (e_waddr[slot] == l_out_waddr[slot]
                                             && same(e_wacc + slot * WORDS, l_out_wacc + slot * WORDS)));
            }
        }
        if (!lanes_match && first == n) first = i;
#endif
        get(t.result_data_o, out_rdata + at);
        get(r->atomik_unit__DOT__wr_ref, out_wref + at);
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
