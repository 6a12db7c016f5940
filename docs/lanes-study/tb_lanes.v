// Self-checking random test of lanes_proto against a behavioural table of
// states: LOAD each context first (the copies power up unknown), then random
// cycles of up to K ACCUMs or one LOAD/READ/SWAP; every READ/SWAP result is
// compared, in order, with the table's.
`timescale 1ns/1ps
module tb_lanes;
    parameter integer W = 16, C = 8, AB = 3, K = 4, CYCLES = 200000;
    reg clk = 0;
    always #5 clk = ~clk;
    reg [K-1:0] acc_valid = 0;
    reg [K*AB-1:0] acc_addr = 0;
    reg [K*W-1:0] acc_data = 0;
    reg x_valid = 0;
    reg [1:0] x_code = 0;
    reg [AB-1:0] x_addr = 0;
    reg [W-1:0] x_data = 0;
    wire rv;
    wire [W-1:0] rd;
    lanes_proto #(.W(W), .C(C), .AB(AB), .K(K)) dut (
        .clk(clk), .acc_valid_i(acc_valid), .acc_addr_i(acc_addr), .acc_data_i(acc_data), .x_valid_i(x_valid),
        .x_code_i(x_code), .x_addr_i(x_addr), .x_data_i(x_data), .result_valid_o(rv), .result_data_o(rd));

    reg [W-1:0] state [0:C-1];
    reg [W-1:0] expect_q [0:1023];
    integer head = 0, tail = 0, n, k, checked = 0, errors = 0;
    integer seed = 7;
    always @(posedge clk) begin
        #1;
        if (rv) begin
            if (head == tail) begin $display("FAIL: a result with none expected"); errors = errors + 1; end
            else begin
                if (rd !== expect_q[head % 1024]) begin
                    if (errors < 5) $display("FAIL at %0t: result %h, expected %h", $time, rd, expect_q[head % 1024]);
                    errors = errors + 1;
                end
                head = head + 1; checked = checked + 1;
            end
        end
    end
    initial begin
        for (n = 0; n < CYCLES + C; n = n + 1) begin
            @(negedge clk);
            acc_valid = 0; x_valid = 0;
            if (n < C) begin
                x_valid = 1; x_code = 0; x_addr = n; x_data = 0; state[n] = 0;
            end else if ($random(seed) % 4 == 0) begin
                x_valid = 1; x_code = $random(seed); x_addr = $random(seed); x_data = $random(seed);
                case (x_code)
                    0: state[x_addr] = x_data;
                    1, 2: begin expect_q[tail % 1024] = state[x_addr]; tail = tail + 1; end
                    3: begin expect_q[tail % 1024] = state[x_addr]; tail = tail + 1; state[x_addr] = x_data; end
                endcase
            end else begin
                for (k = 0; k < K; k = k + 1) begin
                    acc_valid[k] = $random(seed); acc_addr[k*AB +: AB] = $random(seed); acc_data[k*W +: W] = $random(seed);
                    if (acc_valid[k]) state[acc_addr[k*AB +: AB]] = state[acc_addr[k*AB +: AB]] ^ acc_data[k*W +: W];
                end
            end
        end
        @(negedge clk); acc_valid = 0; x_valid = 0;
        repeat (4) @(negedge clk);
        if (head != tail) begin $display("FAIL: %0d results missing", tail - head); errors = errors + 1; end
        if (errors == 0) $display("PASS: %0d results checked", checked);
        else $display("FAIL: %0d errors", errors);
        $finish;
    end
endmodule
