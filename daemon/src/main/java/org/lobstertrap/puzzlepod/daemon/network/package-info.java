/**
 * Gated networking: the allowlisting HTTP/TLS proxy ({@link org.lobstertrap.puzzlepod.daemon.network.AllowlistProxy}),
 * the DNS filter ({@link org.lobstertrap.puzzlepod.daemon.network.DnsFilter}) and the nftables rules that steer a
 * container's egress to them ({@link org.lobstertrap.puzzlepod.daemon.network.NftRuleset},
 * {@link org.lobstertrap.puzzlepod.daemon.network.NetnsNft}).
 */
package org.lobstertrap.puzzlepod.daemon.network;
