using KernelIpsec.Keyd.Transport;
using KernelIpsec.Netlink.Events;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>Everything that wakes the daemon's loop; producers run on any thread, the loop handles one at a time.</summary>
public abstract record DaemonEvent;

public sealed record DatagramArrived(IkeDatagram Datagram) : DaemonEvent;

public sealed record KernelEventArrived(KernelEvent Event) : DaemonEvent;

/// <summary>The kernel event stream ended (socket error): the daemon cannot see ACQUIREs any more.</summary>
public sealed record KernelEventsEnded(Exception? Error) : DaemonEvent;

public sealed record TimerDue : DaemonEvent;

/// <summary>SIGHUP or racoonctl reload-config.</summary>
public sealed record ReloadRequested : DaemonEvent;

/// <summary>SIGTERM or SIGINT.</summary>
public sealed record TerminateRequested(string Signal) : DaemonEvent;

/// <summary>Work that must run on the loop (admin commands); completes its own task.</summary>
public sealed record LoopWork(Func<Task> Work) : DaemonEvent;
