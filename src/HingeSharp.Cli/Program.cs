using HingeSharp.Cli;

return HingeCli.Run(args);
