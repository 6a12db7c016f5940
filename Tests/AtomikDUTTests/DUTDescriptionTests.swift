import AtomikDUT
import AtomikProgram
import Testing
