# Extracts the tool calls of tau-bench historical trajectories into one JSON line per trajectory.
import json, sys
src, dst = sys.argv[1], sys.argv[2]
d = json.load(open(src))
with open(dst, 'w') as out:
    for t in d:
        calls, pending, user_turn = [], [], 0
        for m in t['traj']:
            role = m.get('role')
            if role == 'user':
                user_turn += 1
            elif role == 'assistant' and m.get('tool_calls'):
                for c in m['tool_calls']:
                    call = {'user_turn': user_turn, 'tool': c['function']['name'],
                            'arguments': json.loads(c['function']['arguments'])}
                    calls.append(call); pending.append(call)
            elif role == 'tool':
                call = pending.pop(0)
                assert call['tool'] == m['name'], (call['tool'], m['name'])
                r = m['content']
                try:
                    r = json.loads(r)
                except Exception:
                    pass
                call['result'] = r
        assert not pending
        out.write(json.dumps({'task_id': t['task_id'], 'trial': t['trial'], 'reward': t['reward'],
                              'calls': calls}, separators=(',', ':')) + '\n')
