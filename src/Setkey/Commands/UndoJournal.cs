using KernelIpsec.Netlink;

namespace KernelIpsec.Setkey.Commands;

/// <summary>
/// For --atomic: the inverse of every change this run made, so a kernel refusal can put the SAD
/// and SPD back as they were. Undo steps run newest first.
/// </summary>
public sealed class UndoJournal
{
    private readonly Stack<(string What, Func<IKernelIpsec, CancellationToken, Task> Undo)> steps = new();

    public int Count => steps.Count;

    public void Record(string what, Func<IKernelIpsec, CancellationToken, Task> undo) => steps.Push((what, undo));

    /// <summary>Undoes everything recorded; returns the steps that could not be undone (with the reason).</summary>
    public async Task<IReadOnlyList<string>> RollBackAsync(IKernelIpsec kernel, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        while (steps.TryPop(out var step))
        {
            try
            {
                await step.Undo(kernel, cancellationToken).ConfigureAwait(false);
            }
            catch (KernelIpsecException e)
            {
                failures.Add($"{step.What}: {e.Message}");
            }
            catch (ArgumentException e)
            {
                failures.Add($"{step.What}: {e.Message}");
            }
        }
        return failures;
    }
}
