import { describe, expect, it } from 'vitest';

import { mailtoHref, telHref, webHref } from './links';

describe('mail links', () => {
  it('mail one plain address, with the subject encoded', () => {
    expect(mailtoHref('ada@example.com')).toBe('mailto:ada@example.com');
    expect(mailtoHref(' ada.example+irp@mail.example.org ', 'INC-1 Oracle & co')).toBe(
      'mailto:ada.example%2Birp@mail.example.org?subject=INC-1%20Oracle%20%26%20co',
    );
  });

  it('offer nothing for text that would add recipients, a body or headers', () => {
    for (const hostile of [
      'x@example.com?bcc=eve@evil.example&body=wire',
      'x@example.com&cc=eve@evil.example',
      'a@b.example,eve@evil.example',
      'x@example.com%0Abcc:eve@evil.example',
      'not an address',
      'ada@',
      '@example.com',
      'ada@example',
      '',
    ]) {
      expect(mailtoHref(hostile), hostile).toBeNull();
    }
  });
});

describe('phone links', () => {
  it('dial the number as written, separators dropped', () => {
    expect(telHref('+1 555 0142')).toBe('tel:+15550142');
    expect(telHref('+49 30 1234-5678')).toBe('tel:+493012345678');
    expect(telHref('(555) 014.2299')).toBe('tel:5550142299');
  });

  it('offer nothing for a number a dialler would have to guess at', () => {
    for (const unclear of [
      '+44 (0)20 7946 0000',
      '+1 555 0142 ext. 12',
      '+1 555 0142 x12',
      'call Ben',
      '12',
      '',
    ]) {
      expect(telHref(unclear), unclear).toBeNull();
    }
  });
});

describe('web links', () => {
  it('takes one plain http(s) address as written', () => {
    expect(webHref('https://runbooks.example.org/oracle')).toBe(
      'https://runbooks.example.org/oracle',
    );
    expect(webHref(' http://grafana.example.org/d/1?x=1 ')).toBe(
      'http://grafana.example.org/d/1?x=1',
    );
  });

  it('offers nothing for other schemes, text around a link, or control characters', () => {
    for (const text of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'see https://example.org',
      'https://exa mple.org',
      'https://example.org/\u0007',
      'Labels: alertname=X',
      '',
    ]) {
      expect(webHref(text), text).toBeNull();
    }
  });
});
