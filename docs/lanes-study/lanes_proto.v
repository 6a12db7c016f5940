// Feasibility study for issue #17 (not the unit; see README.md here): up to K ACCUMs a cycle on a
// table of C contexts of W bits. Each lane has its own copy of the
// accumulators in block RAM (atomik_sram_bank, read latency 1); a context's
// state is its reference XOR every copy. Issue rule: a cycle carries up to K
// ACCUMs (any contexts, one a lane), or one LOAD, READ or SWAP alone, which
// reads and writes every copy at one address. Each lane forwards its last
// write (read-before-write memories), as atomik_unit_sram does.
module lanes_proto #(
    parameter integer W = 32,
    parameter integer C = 64,
    parameter integer AB = 6,
    parameter integer K = 8
) (
    input  wire            clk,
    input  wire [K-1:0]    acc_valid_i,
    input  wire [K*AB-1:0] acc_addr_i,
    input  wire [K*W-1:0]  acc_data_i,
    input  wire            x_valid_i,     // LOAD, READ or SWAP, alone in its cycle
    input  wire [1:0]      x_code_i,      // 0 LOAD, 1 READ, 2 SWAP-keep, 3 SWAP with a new reference
    input  wire [AB-1:0]   x_addr_i,
    input  wire [W-1:0]    x_data_i,
    output reg             result_valid_o,
    output reg  [W-1:0]    result_data_o
);
    // Execute stage.
    reg [K-1:0]    ex_acc_q;
    reg [K*AB-1:0] ex_addr_q;
    reg [K*W-1:0]  ex_data_q;
    reg            ex_x_q;
    reg [1:0]      ex_code_q;
    reg [AB-1:0]   ex_xaddr_q;
    reg [W-1:0]    ex_xdata_q;
    // Forwarding: each copy's last write, and the reference's.
    // Whether the operation in the execute stage reads what the edge before
    // wrote, compared one cycle early (the addresses are known then), so that
    // no compare sits between the memories and the XOR of the copies.
    reg [K-1:0]    fw_hit_q;
    reg [K*W-1:0]  fw_data_q;
    reg            fwr_hit_q;
    reg [W-1:0]    fwr_data_q;

    wire [W-1:0] ref_rdata;
    wire [K*W-1:0] acc_rdata;
    // The copies as the execute stage sees them (forwarded), and their XOR.
    wire [K*W-1:0] acc_now;
    wire [W-1:0] ref_now = fwr_hit_q ? fwr_data_q : ref_rdata;
    reg  [W-1:0] acc_xor;
    integer j;
    always @* begin
        acc_xor = {W{1'b0}};
        for (j = 0; j < K; j = j + 1) acc_xor = acc_xor ^ acc_now[j*W +: W];
    end
    wire [W-1:0] state = ref_now ^ acc_xor;
    wire x_writes_ref = ex_x_q && (ex_code_q == 2'd0 || ex_code_q[1]);
    wire [W-1:0] new_ref = (ex_code_q == 2'd2) ? state : ex_xdata_q;

    genvar k;
    generate
        for (k = 0; k < K; k = k + 1) begin : g_lane
            wire [AB-1:0] addr = ex_x_q ? ex_xaddr_q : ex_addr_q[k*AB +: AB];
            assign acc_now[k*W +: W] = fw_hit_q[k] ? fw_data_q[k*W +: W] : acc_rdata[k*W +: W];
            // The address this lane's copy is read at for the operation being accepted.
            wire [AB-1:0] next_addr = x_valid_i ? x_addr_i : acc_addr_i[k*AB +: AB];
            // An ACCUM writes its copy; LOAD and SWAP clear every copy (READ writes nothing).
            wire we = ex_acc_q[k] || x_writes_ref;
            wire [W-1:0] wdata = ex_x_q ? {W{1'b0}} : acc_now[k*W +: W] ^ ex_data_q[k*W +: W];
            atomik_sram_bank #(.WIDTH(W), .DEPTH(C), .ADDR_BITS(AB), .READ_LATENCY(1)) u_copy (
                .clk_i(clk), .raddr_i(next_addr), .rdata_o(acc_rdata[k*W +: W]),
                .we_i(we), .waddr_i(addr), .wdata_i(wdata)
            );
            always @(posedge clk) begin
                fw_hit_q[k] <= we && addr == next_addr;
                fw_data_q[k*W +: W] <= wdata;
            end
        end
    endgenerate
    atomik_sram_bank #(.WIDTH(W), .DEPTH(C), .ADDR_BITS(AB), .READ_LATENCY(1)) u_ref (
        .clk_i(clk), .raddr_i(x_addr_i), .rdata_o(ref_rdata), .we_i(x_writes_ref), .waddr_i(ex_xaddr_q), .wdata_i(new_ref)
    );

    always @(posedge clk) begin
        ex_acc_q <= x_valid_i ? {K{1'b0}} : acc_valid_i;
        ex_addr_q <= acc_addr_i; ex_data_q <= acc_data_i;
        ex_x_q <= x_valid_i; ex_code_q <= x_code_i; ex_xaddr_q <= x_addr_i; ex_xdata_q <= x_data_i;
        fwr_hit_q <= x_writes_ref && ex_xaddr_q == x_addr_i; fwr_data_q <= new_ref;
        result_valid_o <= ex_x_q && ex_code_q != 2'd0;
        if (ex_x_q && ex_code_q != 2'd0) result_data_o <= state;
    end
endmodule

// Pins: an LFSR drives every lane (each lane its own rotation, so no two lanes
// are alike and none is merged away); the result folds to one pin.
module lanes_harness #(
    parameter integer W = 32, C = 64, AB = 6, K = 8
) (
    input wire clk, input wire seed_i, output reg out_o
);
    reg [63:0] lfsr_q;
    always @(posedge clk) lfsr_q <= {lfsr_q[62:0], lfsr_q[63] ^ lfsr_q[62] ^ lfsr_q[60] ^ lfsr_q[59] ^ seed_i};
    wire [K*AB-1:0] addr;
    wire [K*W-1:0] data;
    genvar k;
    generate
        for (k = 0; k < K; k = k + 1) begin : g_in
            wire [63:0] r = {lfsr_q[(5*k+7)%64:0], lfsr_q[63:(5*k+7)%64+1]};
            assign addr[k*AB +: AB] = r[AB-1:0] ^ r[63 -: AB];
            assign data[k*W +: W] = {((W + 63) / 64){r}};
        end
    endgenerate
    wire [((W + 63) / 64) * 64 - 1:0] xdata = {((W + 63) / 64){lfsr_q}};
    wire rv;
    wire [W-1:0] rd;
    lanes_proto #(.W(W), .C(C), .AB(AB), .K(K)) u (
        .clk(clk), .acc_valid_i(lfsr_q[K-1:0] | lfsr_q[63 -: K]), .acc_addr_i(addr), .acc_data_i(data),
        .x_valid_i(lfsr_q[40] & lfsr_q[41]), .x_code_i(lfsr_q[43:42]), .x_addr_i(lfsr_q[50 -: AB]),
        .x_data_i(xdata[W-1:0]), .result_valid_o(rv), .result_data_o(rd)
    );
    always @(posedge clk) out_o <= ^{rd, rv};
endmodule
