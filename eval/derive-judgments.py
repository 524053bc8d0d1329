#!/usr/bin/env python3
"""Derive the scored learner sets (eval/learner.json, eval/learner-holdout.json) from the judgments in
eval/judgments/: the authored judgments as written, plus the pooled judgments, by three mechanical rules.
Nothing is graded here; every grade comes from a judgments file.

usage: python3 eval/derive-judgments.py [--check]   (run from the repository root; --check writes
nothing and exits 1 if a scored file differs from what the judgments derive)

Rules, in order:
1. Match strings are title fragments, compared as the shared scorer (../shared/eval/ndcg.py) compares
   them. A fragment typed with a straight apostrophe where the title has a curly one matches nothing
   there ("facebook's database" against "Facebook’s Database"); it is rewritten to the scorer's
   spelling of the title. A fragment still matching no title is reported.
2. A pooled reading graded 1 or 2 becomes a judgment matching its title.
3. A reading with exactly one host (`companionOf` in data/: the paper a lecture's notes assign, a reply
   to a post) is shown on its host's line, so its judgment also matches the host's title, and two
   judgments that would be earned by the same line are one judgment with the higher grade. A reading
   with several hosts (the DDIA book, a companion of every chapter's notes) rides on whichever host
   the query finds best, so it is judged on its own title only: joining it to every host would make
   every chapter one judgment.
"""
import glob
import json
import re
import subprocess
import sys

SETS = ['learner', 'learner-holdout']


def norm(s):
    # The shared scorer's normalisation (../shared/eval/ndcg.py).
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9+.&/:' -]", " ", s.lower())).strip()


def load_catalog():
    readings = []
    for f in sorted(glob.glob('data/readings/*.json')):
        readings += json.load(open(f))['readings']
    return readings


def display(r):
    return r['title'] + (f" ({r['aka']})" if r.get('aka') else '')


class Catalog:
    def __init__(self, readings):
        self.readings = readings
        self.by_id = {r['id']: r for r in readings}
        self.titles = {r['id']: norm(display(r)) for r in readings}

    def matched(self, fragments):
        return {i for i, t in self.titles.items() if any(norm(m) in t for m in fragments)}

    def single_host(self, rid):
        hosts = self.by_id[rid].get('companionOf') or []
        return hosts[0] if len(hosts) == 1 else None

    def line(self, rid):
        """The reading whose line shows `rid` when both are listed."""
        return self.single_host(rid) or rid


def mend_fragments(fragments, cat, report, query):
    out = []
    for m in fragments:
        if cat.matched([m]):
            out.append(m)
            continue
        # Rule 1: a straight apostrophe where the title has a curly one (the scorer turns ’ into a space).
        variant = m.replace("'", ' ')
        if "'" in m and cat.matched([variant]):
            out.append(variant)
            report.append(f"{query!r}: fragment {m!r} -> {variant!r}")
        else:
            out.append(m)
            report.append(f"{query!r}: fragment {m!r} matches no title (kept)")
    return out


def derive(name, cat, report):
    authored = json.load(open(f'eval/judgments/{name}.authored.json'))
    pooled = json.load(open(f'eval/judgments/{name}.pooled.json'))['judged']
    queries = []
    for q in authored['queries']:
        rel = [{'match': mend_fragments(j['match'], cat, report, q['query']), 'grade': j['grade']}
               for j in q['relevant']]
        # Rule 2: pooled readings graded 1 or 2.
        for p in pooled.get(q['query'], []):
            if p['grade'] >= 1:
                rel.append({'match': [norm(cat.by_id[p['id']]['title'])], 'grade': p['grade']})
        rel = join_lines(rel, cat, report, q['query'])
        out = {k: v for k, v in q.items() if k != 'relevant'}
        out['relevant'] = sorted(rel, key=lambda j: -j['grade'])
        queries.append(out)
    about = (authored['about'] + ' DERIVED FILE: written by eval/derive-judgments.py from eval/judgments/ '
             '(authored judgments as written, plus pooled judgments of the readings they had not judged); '
             'see that script for its three rules. Edit the judgments there, never this file.')
    return {'about': about, 'queries': queries}


def join_lines(rel, cat, report, query):
    """Rule 3: companions also match their single host; judgments earned by the same line become one."""
    groups = []
    for j in rel:
        ids = cat.matched(j['match'])
        lines = {cat.line(i) for i in ids}
        match = list(j['match'])
        for i in sorted(ids):
            host = cat.single_host(i)
            if host:
                frag = norm(cat.by_id[host]['title'])
                if frag not in match:
                    match.append(frag)
        groups.append({'match': match, 'grade': j['grade'], 'lines': lines})
    merged = True
    while merged:
        merged = False
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                if groups[a]['lines'] & groups[b]['lines']:
                    ga, gb = groups[a], groups[b]
                    keep = {
                        'match': ga['match'] + [m for m in gb['match'] if m not in ga['match']],
                        'grade': max(ga['grade'], gb['grade']),
                        'lines': ga['lines'] | gb['lines'],
                    }
                    report.append(f"{query!r}: one line: {ga['match'][0]!r} ({ga['grade']}) + "
                                  f"{gb['match'][0]!r} ({gb['grade']}) -> {keep['grade']}")
                    groups[a] = keep
                    del groups[b]
                    merged = True
                    break
            if merged:
                break
    return [{'match': g['match'], 'grade': g['grade']} for g in groups]


def main():
    check = '--check' in sys.argv
    cat = Catalog(load_catalog())
    stale = []
    for name in SETS:
        report = []
        spec = derive(name, cat, report)
        path = f'eval/{name}.json'
        if check:
            if json.load(open(path)) != spec:
                stale.append(path)
        else:
            open(path, 'w').write(json.dumps(spec, indent=2, ensure_ascii=False) + '\n')
            # The repository's formatter owns the layout (npm run lint checks it).
            subprocess.run(['npx', 'prettier', '--write', '--log-level', 'warn', path], check=True)
            judgments = sum(len(q['relevant']) for q in spec['queries'])
            print(f'{path}: {len(spec["queries"])} queries, {judgments} judgments')
            for line in report:
                print('  ' + line)
    if stale:
        print('stale (run python3 eval/derive-judgments.py):', ', '.join(stale))
        sys.exit(1)


main()
