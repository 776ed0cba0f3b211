"""`python -m lodestone_kernel -f CONNECTION_FILE`: what the kernelspec starts."""

from ipykernel.kernelapp import IPKernelApp

from .kernel import LodestoneKernel

IPKernelApp.launch_instance(kernel_class=LodestoneKernel)
