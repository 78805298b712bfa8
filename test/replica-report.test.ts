// The pure parts of `npm run replicas` (bench/replica-report.ts): HAProxy's stats CSV, the child processes found
// in /proc's stat lines (what the script kills on exit), and the report's verdict.
import { describe, expect, it } from 'vitest';
import type { HttpResult } from '../bench/http.js';
import { childrenOf, parseHaproxyCsv, renderReplicaReport, replicaRunPassed, type PhaseResult, type ReplicaReport } from '../bench/replica-report.js';

/** The header of HAProxy 2.6's stats CSV as it sends it. */
const HEADER = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,';
const row = (proxy: string, name: string, wretr: string, wredis: string, status: string, hrsp5xx = ''): string => {
  const fields = HEADER.slice(2).split(',');
  const values = fields.map(() => '');
  const set = (field: string, value: string): void => void (values[fields.indexOf(field)] = value);
  set('pxname', proxy);
  set('svname', name);
  set('wretr', wretr);
  set('wredis', wredis);
  set('status', status);
  set('hrsp_5xx', hrsp5xx);
  return values.join(',');
};

describe('parseHaproxyCsv', () => {
  it('reads each row by the header, empty counters as 0', () => {
    const csv = [HEADER, row('sou', 'FRONTEND', '', '', 'OPEN'), row('sou_replicas', 'sou1', '2', '7', 'UP', '0'), row('sou_replicas', 'sou2', '0', '0', 'DOWN 1/2'), row('sou_replicas', 'BACKEND', '2', '7', 'UP', '3'), ''].join('\n');
    expect(parseHaproxyCsv(csv)).toEqual([
      { proxy: 'sou', name: 'FRONTEND', status: 'OPEN', retries: 0, redispatches: 0, responses5xx: 0 },
      { proxy: 'sou_replicas', name: 'sou1', status: 'UP', retries: 2, redispatches: 7, responses5xx: 0 },
      { proxy: 'sou_replicas', name: 'sou2', status: 'DOWN 1/2', retries: 0, redispatches: 0, responses5xx: 0 },
      { proxy: 'sou_replicas', name: 'BACKEND', status: 'UP', retries: 2, redispatches: 7, responses5xx: 3 },
    ]);
  });

  it('refuses text that is not the stats CSV', () => {
    expect(() => parseHaproxyCsv('<html>stats</html>')).toThrow(/header/);
    expect(() => parseHaproxyCsv('# pxname,svname,status\nsou,FRONTEND,OPEN')).toThrow(/wretr/);
  });
});

describe('childrenOf', () => {
  it('finds the processes of one parent, whatever their command names hold', () => {
    const stats = [
      '100 (node) S 1 100 100 0 -1 4194304',
      '201 (haproxy) S 100 201 100 0 -1',
      '202 (node (MainThread)) R 100 202 100 0',
      '203 (a) b) S 999 203 100 0',
      '204 (x) S 1000 204 100 0',
      '',
    ];
    expect(childrenOf(100, stats)).toEqual([201, 202]);
    expect(childrenOf(999, stats)).toEqual([203]);
  });
});

const http = (failed: Partial<Pick<HttpResult, 'errors' | 'timeouts' | 'non2xx'>> = {}): HttpResult => ({
  connections: 20,
  seconds: 8,
  distinctRequests: 150,
  requests: 8000,
  requestsPerSecond: 1000,
  p50Ms: 5,
  p99Ms: 40,
  maxMs: 90,
  errors: 0,
  timeouts: 0,
  non2xx: 0,
  ...failed,
});
const phase = (name: string, extra: Partial<PhaseResult> = {}): PhaseResult => ({
  name,
  action: 'something',
  http: http(),
  retries: 0,
  redispatches: 0,
  actionSeconds: 3,
  actionError: null,
  actionUnderLoad: true,
  events: [],
  ...extra,
});
const report = (phases: PhaseResult[]): ReplicaReport => ({
  date: '2026-12-06',
  machine: 'a CPU, 2 cores',
  haproxy: 'HAProxy version 2.6',
  corpus: 'the first 5,000 bench poems',
  paragraphs: [5000, 5500],
  connections: 20,
  distinctQueries: 150,
  buildSeconds: [3, 3.5],
  readySeconds: [2, 2, 2],
  tailSeconds: 2,
  phases,
});

describe('the replica report', () => {
  it('passes only with 0 failed requests in every phase and every action done under load', () => {
    expect(replicaRunPassed(report([phase('steady', { actionSeconds: null }), phase('kill', { redispatches: 400 })]))).toBe(true);
    for (const failing of [
      phase('kill', { http: http({ errors: 1 }) }),
      phase('kill', { http: http({ timeouts: 2 }) }),
      phase('kill', { http: http({ non2xx: 3 }) }),
      phase('rollout', { actionError: 'sou1 not ready' }),
      phase('rollout', { actionUnderLoad: false }),
    ]) {
      const run = report([phase('steady'), failing]);
      expect(replicaRunPassed(run)).toBe(false);
      expect(renderReplicaReport(run)).toMatch(new RegExp(`Target missed: ${failing.name}`));
    }
  });

  it('shows each phase as a table row, with its failed requests and HAProxy counters', () => {
    const text = renderReplicaReport(report([phase('kill', { http: http({ non2xx: 4 }), retries: 6, redispatches: 472, events: ['1.7 s: sou_replicas/sou2 is DOWN'] })]));
    expect(text).toContain('| kill | something (done after 3.0 s) | 8.0 | 8,000 | 1000 | 4 | 5 / 40 / 90 | 6 / 472 |');
    expect(text).toContain('- kill: 1.7 s: sou_replicas/sou2 is DOWN');
  });
});
