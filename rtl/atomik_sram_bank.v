// One bank as a synchronous-read memory with one read and one write port:
// read-before-write on a same-address collision, no reset of its contents,
// read latency 1 or 2 (2 adds an output register). yosys maps it to
// SB_RAM40_4K on iCE40; an ASIC flow maps it to a two-port SRAM macro.
module atomik_sram_bank #(
    parameter integer WIDTH        = 64,   // 1..512
    parameter integer DEPTH        = 256,  // 1..65536
    parameter integer ADDR_BITS    = 8,    // ceil(log2(DEPTH)), at least 1
    parameter integer READ_LATENCY = 1     // 1..2
) (
    input  wire                 clk_i,
    input  wire [ADDR_BITS-1:0] raddr_i,
    output wire [WIDTH-1:0]     rdata_o,
    input  wire                 we_i,
    input  wire [ADDR_BITS-1:0] waddr_i,
    input  wire [WIDTH-1:0]     wdata_i
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    reg [WIDTH-1:0] rdata_q;

    always @(posedge clk_i) begin
        if (we_i) mem[waddr_i] <= wdata_i;
        rdata_q <= mem[raddr_i];
    end

    generate
        if (READ_LATENCY == 2) begin : g_output_register
            reg [WIDTH-1:0] rdata2_q;
            always @(posedge clk_i) rdata2_q <= rdata_q;
            assign rdata_o = rdata2_q;
        end else begin : g_no_output_register
            assign rdata_o = rdata_q;
        end
    endgenerate
endmodule
