rtl/atomik_decoder.v
rtl/atomik_sram_bank.v
rtl/atomik_unit_ff.v
rtl/atomik_unit_sram.v
rtl/atomik_unit.v
