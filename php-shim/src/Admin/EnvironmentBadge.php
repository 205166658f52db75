<?php
/**
 * The admin-bar badge naming the active WorkOS environment.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Shows administrators which WorkOS environment signs people in.
 */
final class EnvironmentBadge {

	/**
	 * admin_bar_menu (only rendered for signed-in users).
	 *
	 * @param \WP_Admin_Bar $bar The admin bar.
	 */
	public static function add( $bar ): void {
		if ( ! $bar instanceof \WP_Admin_Bar || ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$env = Settings::environment();
		$bar->add_node(
			array(
				'id'    => 'workos-environment',
				'title' => esc_html( sprintf( /* translators: %s: environment name. */ __( 'WorkOS: %s', 'workos' ), $env ) ),
				// The environment is a network setting in a network: its screen is the network admin's.
				'href'  => is_multisite() && current_user_can( 'manage_network_options' ) ? network_admin_url( 'settings.php?page=' . SettingsPage::SLUG ) : admin_url( 'options-general.php?page=' . SettingsPage::SLUG ),
				'meta'  => array(
					'class' => 'workos-environment workos-environment-' . $env,
					'title' => __( 'The active WorkOS environment', 'workos' ),
				),
			)
		);
	}
}
