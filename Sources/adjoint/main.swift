// The `adjoint` command line. Everything happens in `CLI.run`, which the hidden `fuzz-check`
// mode also calls in-process; this file only connects it to the process.
import Glibc

var console = Console(streaming: true)
let status = CLI.run(Array(CommandLine.arguments.dropFirst()), console: &console)
exit(status)
