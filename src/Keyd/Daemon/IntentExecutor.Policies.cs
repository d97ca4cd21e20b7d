using KernelIpsec.Ike.Sa;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Daemon;

// generate_policy: the policies a responder makes from the initiator's quick-mode IDs (racoon's pk_sendspdupdate2).
public sealed partial class IntentExecutor
{
    /// <summary>The kernel policies of a generated outbound policy: in, fwd (tunnel mode only) and out, in that order.</summary>
    public static IReadOnlyList<SecurityPolicy> KernelPolicies(InstallPolicy install)
    {
        var p = install.Policy;
        var level = install.Unique ? IpsecLevel.Unique : IpsecLevel.Require;
        var lifetime = install.LifetimeSeconds == 0 ? Lifetime.Unlimited : new Lifetime(hard: new LifetimeLimits(AddSeconds: install.LifetimeSeconds));
        var tunnel = p.Templates.Any(t => t.Mode == IpsecSaMode.Tunnel);
        IEnumerable<IpsecRequest> Requests(bool outbound) => p.Templates.Select(t => new IpsecRequest(
            KernelTranslation.ToKernel(t.Protocol), KernelTranslation.ToKernel(t.Mode), level, install.Unique ? t.Reqid : 0,
            outbound ? t.TunnelSource : t.TunnelDestination, outbound ? t.TunnelDestination : t.TunnelSource));
        var inbound = KernelTranslation.ToKernelSelector(p.Remote, p.Local);
        var list = new List<SecurityPolicy> { new(inbound, PolicyDirection.In, PolicyAction.Allow, Requests(false)) { Lifetime = lifetime } };
        if (tunnel)
            list.Add(new SecurityPolicy(inbound, PolicyDirection.Fwd, PolicyAction.Allow, Requests(false)) { Lifetime = lifetime });
        list.Add(new SecurityPolicy(KernelTranslation.ToKernelSelector(p.Local, p.Remote), PolicyDirection.Out, PolicyAction.Allow, Requests(true)) { Lifetime = lifetime });
        return list;
    }

    private async Task InstallPolicyAsync(InstallPolicy install, CancellationToken cancellation)
    {
        foreach (var policy in KernelPolicies(install))
        {
            try
            {
                // SPDUPDATE as racoon: a policy left from an earlier connection of the same client is replaced.
                try
                {
                    await kernel.UpdatePolicyAsync(policy, cancellation).ConfigureAwait(false);
                }
                catch (KernelIpsecException e) when (e.IsNotFound)
                {
                    await kernel.AddPolicyAsync(policy, cancellation).ConfigureAwait(false);
                }
                LogPolicyGenerated(logger, policy.Selector.ToString(), policy.Direction.ToString().ToLowerInvariant());
            }
            catch (KernelIpsecException e)
            {
                LogPolicyFailed(logger, "spdupdate2", policy.Selector.ToString(), policy.Direction.ToString().ToLowerInvariant(), e.Message);
            }
        }
    }

    private async Task DeletePolicyAsync(DeletePolicy delete, CancellationToken cancellation)
    {
        foreach (var policy in KernelPolicies(new InstallPolicy(delete.Policy, false, 0)))
        {
            try
            {
                await kernel.DeletePolicyAsync(new PolicyId(policy.Selector, policy.Direction), cancellation).ConfigureAwait(false);
                LogPolicyDeleted(logger, policy.Selector.ToString(), policy.Direction.ToString().ToLowerInvariant());
            }
            catch (KernelIpsecException e) when (e.IsNotFound)
            {
                // Expired with its lifetime already, or removed by the administrator.
            }
            catch (KernelIpsecException e)
            {
                LogPolicyFailed(logger, "spddelete", policy.Selector.ToString(), policy.Direction.ToString().ToLowerInvariant(), e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "generated policy installed: {Selector} {Direction}")]
    private static partial void LogPolicyGenerated(ILogger logger, string selector, string direction);

    [LoggerMessage(Level = LogLevel.Information, Message = "generated policy deleted: {Selector} {Direction}")]
    private static partial void LogPolicyDeleted(ILogger logger, string selector, string direction);

    [LoggerMessage(Level = LogLevel.Error, Message = "pfkey {Operation} failed for {Selector} {Direction}: {Error}")]
    private static partial void LogPolicyFailed(ILogger logger, string operation, string selector, string direction, string error);
}
