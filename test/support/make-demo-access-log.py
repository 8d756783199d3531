#!/usr/bin/env python3
"""Writes fixtures/demo/logs/access.log: ten minutes of the demo's edge nginx (log_format `upstream` in
fixtures/demo/deploy/nginx/nginx.conf). The storefront keeps sessions in each replica's memory and nginx
balances it round robin, so a signed-in shopper's next request usually lands on a replica that never
saw the session: the API answers 401 and pages send the shopper back to /login. Accounts (sessions in
Redis, ip_hash) behave. Deterministic: the same file every run."""
import random
from datetime import datetime, timedelta, timezone

random.seed(7)
START = datetime(2026, 11, 20, 9, 0, 0, tzinfo=timezone.utc)
SHOP = ['172.18.0.5:3000', '172.18.0.6:3000', '172.18.0.7:3000']
ACCOUNT = ['172.18.0.8:5000', '172.18.0.9:5000']
AGENTS = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
]
PAGES = ['/', '/products/42', '/products/7', '/cart', '/search?q=boots']
APIS = ['/api/cart', '/api/orders', '/api/profile']

def stamp(t):
    return t.strftime('%d/%b/%Y:%H:%M:%S +0000')

def sid():
    alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    ident = ''.join(random.choice(alphabet) for _ in range(32))
    sig = ''.join(random.choice(alphabet) for _ in range(43))
    return f's%3A{ident}.{sig}'

events = []
for n in range(40):
    ip = f'198.51.100.{10 + n}'
    agent = AGENTS[n % len(AGENTS)]
    t = START + timedelta(seconds=random.randint(0, 480))
    events.append((t, ip, agent, 'shop-visit', None))
    if n % 4 == 0:
        events.append((t + timedelta(seconds=30), ip, agent, 'account', None))
events.sort(key=lambda e: e[0])

lines = []
turn = 0
def shop_node():
    global turn
    node = SHOP[turn % 3]
    turn += 1
    return node

def line(t, ip, agent, request, status, size, referer, upstream, cookie):
    lines.append((t, f'{ip} - - [{stamp(t)}] "{request}" {status} {size} "{referer}" "{agent}" {upstream} "{cookie}"'))

for t, ip, agent, kind, _ in events:
    if kind == 'account':
        node = ACCOUNT[int(ip.rsplit('.', 1)[1]) % 2]
        cookie = 'acct.sid=s%3A' + ''.join(random.choice('abcdef0123456789') for _ in range(24))
        for path in ['/account/', '/account/orders', '/account/settings']:
            line(t, ip, agent, f'GET {path} HTTP/2.0', 200, random.randint(3000, 9000), 'https://shop.example.com/', node, cookie)
            t += timedelta(seconds=random.randint(2, 9))
        continue
    # Browse, sign in, then keep shopping.
    line(t, ip, agent, 'GET / HTTP/2.0', 200, 5120, '-', shop_node(), '-')
    t += timedelta(seconds=random.randint(2, 6))
    home = shop_node()
    line(t, ip, agent, 'POST /login HTTP/2.0', 302, 0, 'https://shop.example.com/login', home, '-')
    cookie = f'connect.sid={sid()}'
    for _ in range(random.randint(4, 9)):
        t += timedelta(seconds=random.randint(1, 12))
        node = shop_node()
        api = random.random() < 0.5
        path = random.choice(APIS if api else PAGES)
        if node == home:
            line(t, ip, agent, f'GET {path} HTTP/2.0', 200, random.randint(800, 9000), 'https://shop.example.com/', node, cookie)
        elif api:
            line(t, ip, agent, f'GET {path} HTTP/2.0', 401, 36, 'https://shop.example.com/', node, cookie)
        else:
            line(t, ip, agent, f'GET {path} HTTP/2.0', 302, 0, 'https://shop.example.com/', node, cookie)

lines.sort(key=lambda l: l[0])
with open('fixtures/demo/logs/access.log', 'w') as out:
    out.write('\n'.join(text for _, text in lines) + '\n')
print(len(lines), 'lines')
