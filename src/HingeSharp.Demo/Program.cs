using HingeSharp.Demo;

return DemoCli.Run(args);
