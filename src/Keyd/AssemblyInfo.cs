// racoon's replacement drives Linux's XFRM/PF_KEY and Unix sockets: it runs on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
