"""lam's Python bootstrap launcher. The runtime itself is the module
_lam_runtime.bootstrap beside this file, imported so that its compiled form
is cached (a script run as __main__ never is): a cold start does not
compile it again."""

from _lam_runtime import bootstrap

bootstrap.main()
