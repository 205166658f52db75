<?php
/**
 * The plugin's links on the Plugins screen.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use const WorkOS_WP\PLUGIN_FILE;

defined( 'ABSPATH' ) || exit;

/**
 * A Settings link first in the plugin's row, where site owners look for it
 * right after activating (as Yoast, WP Mail SMTP and most plugins do).
 */
final class PluginLinks {

	/**
	 * plugin_action_links: the site's Plugins screen.
	 *
	 * @param array  $actions     Row links.
	 * @param string $plugin_file Basename of the row's plugin.
	 */
	public static function site( $actions, $plugin_file ): array {
		$actions = is_array( $actions ) ? $actions : array();
		if ( plugin_basename( PLUGIN_FILE ) !== $plugin_file || ! current_user_can( 'manage_options' ) ) {
			return $actions;
		}
		return self::with_settings( $actions, admin_url( 'options-general.php?page=' . SettingsPage::SLUG ) );
	}

	/**
	 * network_admin_plugin_action_links: the network's Plugins screen links
	 * to the network's settings (credentials and other network settings).
	 *
	 * @param array  $actions     Row links.
	 * @param string $plugin_file Basename of the row's plugin.
	 */
	public static function network( $actions, $plugin_file ): array {
		$actions = is_array( $actions ) ? $actions : array();
		if ( plugin_basename( PLUGIN_FILE ) !== $plugin_file || ! current_user_can( 'manage_network_options' ) ) {
			return $actions;
		}
		return self::with_settings( $actions, network_admin_url( 'settings.php?page=' . SettingsPage::SLUG ) );
	}

	/**
	 * The links with Settings first.
	 *
	 * @param array  $actions Row links.
	 * @param string $url     The settings screen.
	 */
	private static function with_settings( array $actions, string $url ): array {
		return array( 'settings' => sprintf( '<a href="%1$s">%2$s</a>', esc_url( $url ), esc_html__( 'Settings', 'workos' ) ) ) + $actions;
	}
}
