// A stand-in for the tutorial's userland.cpp, written from the description in
// SPEC section 1 and built the way its readers build it (C++, <Windows.h>,
// its own CTL_CODE definition). It must keep working against spotless.sys.
#include <Windows.h>
#include <stdio.h>
#include <string.h>

#define IOCTL_SPOTLESS CTL_CODE(FILE_DEVICE_UNKNOWN, 0x2049, METHOD_BUFFERED, FILE_ANY_ACCESS)

int main(int argc, char **argv)
{
	if (argc < 2 || strlen(argv[1]) >= 128) {
		printf("usage: tutorial_client MESSAGE\n");
		return 2;
	}

	HANDLE device = CreateFileW(L"\\\\.\\SpotlessDeviceLink", GENERIC_ALL, 0, 0,
				    OPEN_EXISTING, FILE_ATTRIBUTE_SYSTEM, 0);
	if (device == INVALID_HANDLE_VALUE) {
		printf("> Could not open device: 0x%lx\n", GetLastError());
		return 1;
	}

	char inBuffer[128] = { 0 };
	char outBuffer[128] = { 0 };
	DWORD bytesReturned = 0;
	strcpy(inBuffer, argv[1]);

	printf("> Issuing IOCTL_SPOTLESS 0x%x\n", IOCTL_SPOTLESS);
	BOOL ok = DeviceIoControl(device, IOCTL_SPOTLESS, inBuffer, sizeof(inBuffer),
				  outBuffer, sizeof(outBuffer), &bytesReturned, NULL);
	printf("> IOCTL_SPOTLESS 0x%x issued\n", IOCTL_SPOTLESS);
	printf("> Received from the kernel land: %s. Received buffer size: %lu\n",
	       outBuffer, bytesReturned);
	CloseHandle(device);
	return ok ? 0 : 1;
}
