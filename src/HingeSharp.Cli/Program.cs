using HingeSharp.Cli;
using HingeSharp.Cli.Forwarding;

// The AVX2 native build hands over to the AVX-512 one where the machine has it (nothing happens under the JIT).
NativeBuilds.PreferAvx512(args);
return HingeCli.Run(args);
