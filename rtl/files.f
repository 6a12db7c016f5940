atomik_decoder.v
atomik_sram_bank.v
atomik_unit_ff.v
atomik_unit_sram.v
atomik_unit_lanes.v
atomik_unit.v
