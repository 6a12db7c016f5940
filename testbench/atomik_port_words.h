// Port values <-> 32-bit little-endian words, for the C ABIs around Verilator
// models: testbench/atomik_shim.cpp (our unit, batches of cycles) and the shim
// atomik generates for any described design (Sources/AtomikRTL/DUTShim.swift).
// Define `constexpr int WORDS` (words per data value) before including this.
#pragma once
#include <cstddef>
#include <cstdint>
#include "verilated.h"

namespace {
template <class T> void put(T& port, const uint32_t* w) {
    uint64_t v = w[0];
    if (WORDS > 1) v |= uint64_t(w[1]) << 32;
    port = static_cast<T>(v);
}
template <std::size_t N> void put(VlWide<N>& port, const uint32_t* w) {
    for (std::size_t i = 0; i < N; ++i) port[i] = w[i];
}
template <class T> void get(const T& port, uint32_t* w) {
    uint64_t v = port;
    w[0] = static_cast<uint32_t>(v);
    if (WORDS > 1) w[1] = static_cast<uint32_t>(v >> 32);
}
template <std::size_t N> void get(const VlWide<N>& port, uint32_t* w) {
    for (std::size_t i = 0; i < N; ++i) w[i] = port[i];
}
}  // namespace
