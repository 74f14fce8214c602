// Runs the function locally the way the AWS base image does: Amazon.Lambda.RuntimeSupport loads the
// assembly, class and method that the handler string names, then serves the Runtime API that
// AWS_LAMBDA_RUNTIME_API points at (the Runtime Interface Emulator in `make emulator-test`).
using Amazon.Lambda.RuntimeSupport;

var handler = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("_HANDLER");
if (string.IsNullOrEmpty(handler))
{
    Console.Error.WriteLine("usage: LambdaHost Assembly::Namespace.Class::Method (or set _HANDLER)");
    return 2;
}

await new RuntimeSupportInitializer(handler).RunLambdaBootstrap();
return 0;
