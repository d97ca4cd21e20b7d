namespace KernelIpsec.Fuzz;

/// <summary>A failure the code under test swallowed (logged as an internal error) that the harness turns into a crash.</summary>
public sealed class FuzzFindingException(string message, Exception inner) : Exception(message, inner);
