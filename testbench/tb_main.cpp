// Verilator's clock for testbench/tb_atomik_unit.v: toggles clk until $finish.
#include "Vtb_atomik_unit.h"
#include "verilated.h"
#include <memory>

int main(int argc, char** argv) {
    const std::unique_ptr<VerilatedContext> context{new VerilatedContext};
    context->commandArgs(argc, argv);
    const std::unique_ptr<Vtb_atomik_unit> top{new Vtb_atomik_unit{context.get()}};
    top->clk = 0;
    top->eval();
    while (!context->gotFinish()) {
        top->clk = 1;
        top->eval();
        top->clk = 0;
        top->eval();
    }
    top->final();
#if VM_COVERAGE
    // testbench/run.sh coverage: the line, branch and toggle counts, for verilator_coverage.
    const char* const arg = context->commandArgsPlusMatch("coverage=");
    if (arg && *arg) context->coveragep()->write(arg + sizeof("+coverage=") - 1);
#endif
    return 0;
}
