import { describe, expect, it } from 'vitest';
import { FeedBlockedAddressError } from '../../../src/sources/ics-feed/errors.js';
import { refuseBlockedFeedHost } from '../../../src/sources/ics-feed/link-host.js';

describe('feed host check when a link is added', () => {
  it('refuses refused literal addresses and localhost, naming the allowHosts setting', () => {
    for (const url of [
      'http://127.0.0.1:8000/cal.ics',
      'https://[::1]/cal.ics',
      'webcal://10.0.0.7/cal.ics',
      'http://169.254.169.254/latest',
      'http://LOCALHOST./cal.ics',
      'http://feeds.localhost/cal.ics',
      'http://[::ffff:127.0.0.1]/cal.ics',
    ]) {
      expect(() => refuseBlockedFeedHost(url, []), url).toThrow(FeedBlockedAddressError);
    }
    expect(() => refuseBlockedFeedHost('http://127.0.0.1/x.ics', [])).toThrow(
      /TALKCAL_SOURCES__ALLOW_HOSTS='\["127\.0\.0\.1"\]'/,
    );
  });

  it('lets allowed hosts, public addresses and host names through (names are checked at sync)', () => {
    expect(() => refuseBlockedFeedHost('http://127.0.0.1/x.ics', ['127.0.0.1'])).not.toThrow();
    expect(() => refuseBlockedFeedHost('http://[::1]/x.ics', ['[::1]'])).not.toThrow();
    expect(() => refuseBlockedFeedHost('http://localhost/x.ics', ['LocalHost'])).not.toThrow();
    expect(() => refuseBlockedFeedHost('https://93.184.215.14/x.ics', [])).not.toThrow();
    expect(() => refuseBlockedFeedHost('https://calendar.example.org/x.ics', [])).not.toThrow();
    expect(() => refuseBlockedFeedHost('not a url', [])).not.toThrow();
  });
});
