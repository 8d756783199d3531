#!/usr/bin/env python3
# Writes the log fixtures of the six log rules (fixtures/rules/<rule>/*.log, *.jsonl) in real formats:
# nginx log_format lines (directive "# --nginx-format ..." first), HAProxy httplog, pino / ECS JSON lines.
# Planted patterns (a stolen session, hops with per-node sessions, a stale key on one node, a storm
# after a deploy...) and clean counterparts. Request ids and token signatures are random: rerunning
# changes bytes, not verdicts. Run from anywhere: python3 test/logs/make-analyse-fixtures.py
import random, json, base64, os, datetime
random.seed(7)
ROOT=os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../fixtures/rules')
UAS=['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
 'curl/8.5.0','python-requests/2.31.0','okhttp/4.12.0']
PAGES=['/','/account','/cart','/orders','/products/42','/products/17','/search','/api/orders','/api/profile','/checkout']
T0=datetime.datetime(2026,1,5,10,0,0,tzinfo=datetime.timezone.utc)
def tl(t): return t.strftime('%d/%b/%Y:%H:%M:%S +0000')
def sid(): return ''.join(random.choice('abcdef0123456789') for _ in range(32))
def b64(d): return base64.urlsafe_b64encode(json.dumps(d,separators=(',',':')).encode()).rstrip(b'=').decode()
def jwt(sub,jti,iat):
    return b64({'alg':'RS256','typ':'JWT','kid':'2026-01'})+'.'+b64({'iss':'https://auth.shop.example','sub':sub,'aud':'shop-api','iat':iat,'exp':iat+3600,'jti':jti})+'.'+base64.urlsafe_b64encode(os.urandom(64)).rstrip(b'=').decode()
FMT_SESS='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_addr sid=$cookie_sid'
def sess_line(ip,t,req,status,ua,up,s,user='-'):
    return f'{ip} - {user} [{tl(t)}] "{req} HTTP/1.1" {status} {random.randint(200,9000)} "https://shop.example/" "{ua}" {up} sid={s}'
def write(rule,name,lines,directives=()):
    os.makedirs(f'{ROOT}/{rule}',exist_ok=True)
    with open(f'{ROOT}/{rule}/{name}','w') as f:
        for d in directives: f.write(f'# {d}\n')
        for l in lines: f.write(l+'\n')
def users(n, base_ip='198.51.100.'):
    return [{'ip':f'{base_ip}{10+i}','ua':UAS[i%5],'sid':sid(),'node':f'10.0.1.{11+i%3}:8080'} for i in range(n)]
def sec(s): return T0+datetime.timedelta(seconds=s)

# ---- session-reuse-many-ips
us=users(6); lines=[]; t=0
for k in range(60):
    u=us[k%6]; t+=random.randint(2,8)
    lines.append((t,sess_line(u['ip'],sec(t),'GET '+random.choice(PAGES),200,u['ua'],u['node'],u['sid'])))
victim=us[2]
thief_ips=['203.0.113.5','203.0.113.77','192.0.2.44','45.33.12.9','185.220.101.3']
for k,ip in enumerate(thief_ips):
    tt=120+k*25
    lines.append((tt,sess_line(ip,sec(tt),'GET /api/profile',200,UAS[5+k%3],victim['node'],victim['sid'])))
lines.sort(key=lambda x:x[0])
write('session-reuse-many-ips','stolen-session.log',[l for _,l in lines],[f'--nginx-format {FMT_SESS}'])
# ok: phone switching wifi/4G (2 IPs), and a laptop seen from 3 IPs a day apart
us=users(5); lines=[]; t=0
for k in range(50):
    u=us[k%5]; t+=random.randint(2,8)
    ip=u['ip']
    if k%5==1 and k>20: ip='100.64.7.23'  # carrier NAT after leaving wifi
    lines.append(sess_line(ip,sec(t),'GET '+random.choice(PAGES),200,u['ua'],u['node'],u['sid']))
write('session-reuse-many-ips','roaming-phone.ok.log',lines,[f'--nginx-format {FMT_SESS}'])

# JSON (pino-http) with jti shared by an integration across many IPs
lines=[]
tok_jti='7f1c2a9e-4b6d-4e0f-9a51-0c3d8e2b6f11'
for k in range(12):
    t=sec(30*k)
    ip=f'52.14.{k%6}.{20+k}'
    rec={'level':30,'time':int(t.timestamp()*1000),'pid':4121,'hostname':'api-7d9f-2','req':{'id':k+1,'method':'GET','url':'/api/v2/orders','remoteAddress':ip,'headers':{'user-agent':'python-requests/2.31.0'}},'res':{'statusCode':200},'jti':tok_jti,'responseTime':12,'msg':'request completed'}
    lines.append(json.dumps(rec,separators=(',',':')))
write('session-reuse-many-ips','shared-token.jsonl',lines)

# ---- token-used-after-logout (nginx with Authorization logged)
FMT_AUTH='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_authorization" $request_id'
def auth_line(ip,t,req,status,ua,tok):
    return f'{ip} - - [{tl(t)}] "{req} HTTP/1.1" {status} {random.randint(20,4000)} "-" "{ua}" "Bearer {tok}" {os.urandom(16).hex()}'
def token_log(after_status):
    lines=[]; toks=[]
    for i in range(4):
        toks.append({'ip':f'198.51.100.{30+i}','ua':UAS[i],'tok':jwt(f'user-{100+i}',f'jti-{i}-{os.urandom(6).hex()}',int(T0.timestamp()))})
    t=0
    for k in range(24):
        u=toks[k%4]; t+=random.randint(3,9)
        lines.append(auth_line(u['ip'],sec(t),'GET '+random.choice(['/api/orders','/api/profile','/api/cart']),200,u['ua'],u['tok']))
    u=toks[1]; t+=5
    lines.append(auth_line(u['ip'],sec(t),'POST /api/auth/logout',204,u['ua'],u['tok']))
    for k in range(3):
        t+=40
        lines.append(auth_line('203.0.113.99' if k else u['ip'],sec(t),'GET /api/orders',after_status,u['ua'],u['tok']))
        v=toks[(k+2)%4]; t+=3
        lines.append(auth_line(v['ip'],sec(t),'GET /api/profile',200,v['ua'],v['tok']))
    return lines
write('token-used-after-logout','jwt-after-logout.log',token_log(200),[f'--nginx-format {FMT_AUTH}'])
write('token-used-after-logout','denylisted.ok.log',token_log(401),[f'--nginx-format {FMT_AUTH}'])
# JSON (ECS-ish) revoke event then accepted
lines=[]
for k in range(8):
    t=sec(10*k)
    lines.append(json.dumps({'@timestamp':t.isoformat().replace('+00:00','Z'),'log.level':'info','message':'request completed','client.ip':f'198.51.100.{40+k%3}','user.id':f'user-{k%3}','jti':f'tok-{k%3}','http.request.method':'GET','url.path':'/api/orders','http.response.status_code':200,'host.hostname':'api-1'}))
lines.append(json.dumps({'@timestamp':sec(85).isoformat().replace('+00:00','Z'),'log.level':'info','message':'token revoked by admin','event.action':'token-revoke','user.id':'user-2','jti':'tok-2','host.hostname':'api-1'}))
lines.append(json.dumps({'@timestamp':sec(95).isoformat().replace('+00:00','Z'),'log.level':'info','message':'request completed','client.ip':'198.51.100.42','user.id':'user-2','jti':'tok-2','http.request.method':'GET','url.path':'/api/orders','http.response.status_code':200,'host.hostname':'api-2'}))
write('token-used-after-logout','revoked-still-accepted.jsonl',lines)

# ---- session-hops-nodes
NODES=['10.0.1.11:8080','10.0.1.12:8080','10.0.1.13:8080']
def hop_log(mode):
    us=users(6); lines=[]; t=0; rr=0
    for k in range(72):
        u=us[k%6]; t+=random.randint(1,5)
        if mode=='sticky': node=u['node']
        else: node=u['last'] if u.get('last') and random.random()<0.7 else random.choice(NODES)
        status=200
        if mode=='local':
            if u.get('last') and u['last']!=node:
                status=401
                lines.append(sess_line(u['ip'],sec(t),'GET '+random.choice(['/account','/orders','/cart']),401,u['ua'],node,u['sid']))
                u['sid']=sid(); u['last']=node
                continue
        u['last']=node
        lines.append(sess_line(u['ip'],sec(t),'GET '+random.choice(PAGES),status,u['ua'],node,u['sid']))
    return lines
write('session-hops-nodes','per-node-sessions.log',hop_log('local'),[f'--nginx-format {FMT_SESS}'])
write('session-hops-nodes','shared-store.log',hop_log('shared'),[f'--nginx-format {FMT_SESS}'])
write('session-hops-nodes','round-robin-told-local.log',hop_log('shared'),[f'--nginx-format {FMT_SESS}','--sessions local'])
write('session-hops-nodes','sticky.ok.log',hop_log('sticky'),[f'--nginx-format {FMT_SESS}'])

# ---- auth-failures-on-one-node (HAProxy httplog)
def hap_line(t, ip, server, status, req):
    ms=random.randint(0,999); port=random.randint(30000,60000)
    syslog=t.strftime('%b %d %H:%M:%S').replace(' 0',' ',1) if t.day<10 else t.strftime('%b %d %H:%M:%S')
    tr=random.randint(5,80)
    return f'{t.strftime("%b")} {t.day:>2} {t.strftime("%H:%M:%S")} lb1 haproxy[2231]: {ip}:{port} [{t.strftime("%d/%b/%Y:%H:%M:%S")}.{ms:03d}] https-in~ app/{server} 0/0/1/{tr}/{tr+1} {status} {random.randint(100,5000)} - - ---- 12/12/3/1/0 0/0 "{req} HTTP/1.1"'
def auth_nodes(bad):
    lines=[]; t=0
    for k in range(180):
        t+=random.randint(1,4)
        server=['app1','app2','app3'][k%3]
        ip=f'198.51.100.{10+random.randint(0,40)}'
        req=random.choice(['GET /api/orders','GET /api/profile','GET /api/cart','POST /api/cart/items'])
        if bad and server=='app3': status=401 if random.random()<0.4 else 200
        else: status=401 if random.random()<0.02 else 200
        lines.append(hap_line(sec(t),ip,server,status,req))
    return lines
write('auth-failures-on-one-node','stale-signing-key.log',auth_nodes(True))
write('auth-failures-on-one-node','balanced.ok.log',auth_nodes(False))

# ---- logout-storm (nginx with $upstream_addr)
FMT_UP='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_addr'
def up_line(ip,t,req,status,ua,up):
    return f'{ip} - - [{tl(t)}] "{req} HTTP/1.1" {status} {random.randint(200,9000)} "https://shop.example/" "{ua}" {up}'
def storm_log(storm):
    lines=[]
    for minute in range(20):
        nodes=['10.0.1.11:8080','10.0.1.12:8080'] if (not storm or minute<12) else ['10.0.1.11:8080','10.0.1.13:8080']
        n=24
        for k in range(n):
            s=minute*60+int(k*60/n)+random.randint(0,1)
            ip=f'198.51.100.{random.randint(10,250)}'
            status=401 if random.random()<0.03 else 200
            if storm and minute==13 and k<23: status=401; ip=f'203.0.113.{10+k}'
            lines.append((s,up_line(ip,sec(s),'GET '+random.choice(['/account','/orders','/cart','/api/profile']),status,random.choice(UAS[:5]),random.choice(nodes))))
    lines.sort(key=lambda x:x[0])
    return [l for _,l in lines]
write('logout-storm','after-deploy.log',storm_log(True),[f'--nginx-format {FMT_UP}'])
write('logout-storm','steady.ok.log',storm_log(False),[f'--nginx-format {FMT_UP}'])

# ---- missing-correlation-id
def rid_log(fmt_var, missing):
    lines=[]; t=0
    for k in range(40):
        t+=random.randint(1,6)
        ip=f'198.51.100.{random.randint(10,60)}'
        rid=os.urandom(16).hex()
        path=random.choice(PAGES)
        if missing and k%7==3: rid='-'; ip='10.0.0.2'; path='/healthz'
        lines.append(f'{ip} - - [{tl(sec(t))}] "GET {path} HTTP/1.1" 200 {random.randint(200,9000)} "-" "{random.choice(UAS)}" {random.choice(NODES)} {rid}')
    return lines
FMT_RID='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_addr $http_x_request_id'
FMT_RID_OK='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_addr $request_id'
write('missing-correlation-id','header-not-set.log',rid_log('x',True),[f'--nginx-format {FMT_RID}'])
write('missing-correlation-id','nginx-request-id.ok.log',rid_log('r',False),[f'--nginx-format {FMT_RID_OK}'])

# ---- logout-storm in app logs (pino): the session store was flushed; the app logs "session not found"
# and redirects to the login page (302): the event, not the status, says the session was lost.
def pino_storm(storm):
    lines=[]
    for minute in range(20):
        for k in range(25):
            t=sec(minute*60+int(k*60/25))
            user=random.randint(1,400)
            rec={'level':30,'time':int(t.timestamp()*1000),'pid':311,'hostname':f'web-{1+user%2}','reqId':f'req-{minute}-{k}',
                 'req':{'method':'GET','url':random.choice(['/account','/orders','/cart']),'remoteAddress':f'198.51.100.{user%250}'},
                 'res':{'statusCode':200},'userId':f'u{user}','sessionId':f'{user:08x}{minute:04x}','msg':'request completed'}
            if storm and minute==9:
                rec['res']['statusCode']=302; rec['msg']='session not found, redirecting to /login'; rec['level']=40
            lines.append(json.dumps(rec,separators=(',',':')))
    return lines
write('logout-storm','store-flushed.jsonl',pino_storm(True))
write('logout-storm','quiet.ok.jsonl',pino_storm(False))

# ---- missing-correlation-id in ECS JSON: some services forward the id, one does not
def ecs_rid(missing):
    lines=[]
    for k in range(30):
        t=sec(k*7)
        rec={'@timestamp':t.isoformat().replace('+00:00','Z'),'log.level':'info','message':'request completed','service.name':'orders',
             'client.ip':f'198.51.100.{10+k%9}','http.request.method':'GET','url.path':'/api/orders','http.response.status_code':200,
             'http.request.id':os.urandom(8).hex(),'host.hostname':f'orders-{k%2}'}
        if missing and k%4==1: del rec['http.request.id']
        lines.append(json.dumps(rec,separators=(',',':')))
    return lines
write('missing-correlation-id','ecs-partial.jsonl',ecs_rid(True))
write('missing-correlation-id','ecs-complete.ok.jsonl',ecs_rid(False))

# ---- session-hops-nodes in HAProxy httplog (captured request cookie SESSIONID): roundrobin without
# affinity in front of Tomcats that keep sessions in memory: the request after a hop is a 401.
def hap_hops():
    lines=[]; t=0
    users=[{'ip':f'198.51.100.{20+i}','sid':os.urandom(8).hex(),'srv':f'tomcat{1+i%3}'} for i in range(6)]
    for k in range(60):
        u=users[k%6]; t+=random.randint(1,4)
        hop = k>=12 and k%5==0
        status=200
        if hop:
            u['srv']=f'tomcat{1+(int(u["srv"][-1])%3)}'; status=401
        ts=sec(t); ms=random.randint(0,999); tr=random.randint(5,60)
        lines.append(f'{ts.strftime("%b")} {ts.day:>2} {ts.strftime("%H:%M:%S")} lb1 haproxy[2231]: {u["ip"]}:{random.randint(30000,60000)} [{ts.strftime("%d/%b/%Y:%H:%M:%S")}.{ms:03d}] https-in~ tomcats/{u["srv"]} 0/0/1/{tr}/{tr+1} {status} {random.randint(100,5000)} SESSIONID={u["sid"]} - ---- 12/12/3/1/0 0/0 "GET {random.choice(["/app/cart","/app/orders","/app/account"])} HTTP/1.1"')
        if hop: u['sid']=os.urandom(8).hex()
    return lines
write('session-hops-nodes','haproxy-tomcat-memory.log',hap_hops())
