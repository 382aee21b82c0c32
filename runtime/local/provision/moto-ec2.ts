/**
 * EC2's query API against moto (the project has no EC2 client): one action, its answer's XML. moto routes a
 * request by its Authorization header's credential scope and checks no signature.
 */
export async function motoEc2(endpoint: string, region: string, params: Record<string, string>): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'authorization': `AWS4-HMAC-SHA256 Credential=outpost-local/20260101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: '2016-11-15', ...params }),
  });
  const body = await response.text();
  if (!response.ok) {
    throw new Error(`EC2 ${params.Action} failed: ${body}`);
  }
  return body;
}

/** The text of the first `<name>` element of an EC2 answer. */
export function ec2Field(xml: string, name: string): string {
  const match = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml);
  if (!match) {
    throw new Error(`no <${name}> in ${xml}`);
  }
  return match[1];
}
