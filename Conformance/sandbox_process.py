"""Starting `keybatch sandbox --port 0` and reading back where it listens (shared by the checks)."""
import subprocess


def start_sandbox(binary, stderr=None):
    """Starts the sandbox on a free loopback port; returns the process and its printed
    `SEAM_ENDPOINT`, `SEAM_API_KEY`, `SEAM_WORKSPACE_ID` and `SANDBOX_ADMIN_TOKEN`."""
    process = subprocess.Popen([binary, "sandbox", "--port", "0"], stdout=subprocess.PIPE, stderr=stderr, text=True)
    values = {}
    while len(values) < 4:
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"sandbox exited before printing its endpoint (status {process.wait()})")
        name, _, value = line.strip().partition("=")
        values[name] = value
    return process, values
