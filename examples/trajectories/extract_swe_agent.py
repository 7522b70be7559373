#!/usr/bin/env python3
"""Extracts the steps of SWE-agent .traj files that record per-step execution times.

Usage: python3 extract_swe_agent.py OUT.jsonl FILE.traj [FILE.traj ...]

One JSON object per trajectory and line: {"source": path, "steps": [...]}, each step
{"command": first word of the action, "arguments": the rest of its first line,
 "action": the whole action (first 2,000 characters), "observation": the output (first 2,000
 characters), "execution_time_s": the recorded time, "read_only": whether the command only reads}.
Trajectories without an execution_time on every step are skipped (and named on stderr).
"""
import json
import sys

# SWE-agent commands (and shell commands) that only read the repository: the preloadable ones.
READ_ONLY = {"open", "goto", "scroll_up", "scroll_down", "search_dir", "search_file", "find_file",
             "cat", "ls", "grep", "find", "head", "tail", "view"}
LIMIT = 2000


def steps(trajectory):
    out = []
    for step in trajectory:
        action = (step.get("action") or "").strip()
        first = action.split("\n", 1)[0]
        command, _, arguments = first.partition(" ")
        out.append({
            "command": command,
            "arguments": arguments,
            "action": action[:LIMIT],
            "observation": (step.get("observation") or "")[:LIMIT],
            "execution_time_s": step["execution_time"],
            "read_only": command in READ_ONLY,
        })
    return out


def main(argv):
    out_path, files = argv[1], argv[2:]
    with open(out_path, "w") as out:
        for path in files:
            with open(path) as f:
                trajectory = json.load(f).get("trajectory", [])
            if not trajectory or any(s.get("execution_time") is None for s in trajectory):
                print("skipped (no per-step execution_time): " + path, file=sys.stderr)
                continue
            out.write(json.dumps({"source": path, "steps": steps(trajectory)}) + "\n")


if __name__ == "__main__":
    main(sys.argv)
