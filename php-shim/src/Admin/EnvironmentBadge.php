<?php
/**
 * The admin-bar badge naming the active WorkOS environment.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;
use WorkOS_WP\Settings\Registry;

use const WorkOS_WP\PRODUCT_NAME;

defined( 'ABSPATH' ) || exit;

/**
 * Shows administrators which WorkOS environment signs people in. Staging
 * must not be mistaken for production (test users, test organizations,
 * a different directory), so away from production the badge is a bright
 * pill, on every screen and on phones too, where WordPress hides most of
 * the admin bar. Production is plain text and leaves phones alone.
 */
final class EnvironmentBadge {

	/** The node's id (WordPress prefixes its element id with wp-admin-bar-). */
	private const NODE = 'workos-environment';

	/**
	 * Colours of the staging pill: #1d2327 on #f0c33c is 9.5:1, and the
	 * hover/focus colours keep more than 4.5:1 (WCAG AA for its 13-14 px
	 * text).
	 */
	private const CSS = '
#wpadminbar #wp-admin-bar-workos-environment.workos-environment-away > .ab-item {
	background: #f0c33c;
	color: #1d2327;
	font-weight: 600;
	border-radius: 3px;
	margin: 5px 4px;
	height: 22px;
	line-height: 22px;
	padding: 0 8px;
}
#wpadminbar #wp-admin-bar-workos-environment > .ab-item span {
	line-height: inherit;
}
#wpadminbar #wp-admin-bar-workos-environment.workos-environment-away > .ab-item:hover,
#wpadminbar #wp-admin-bar-workos-environment.workos-environment-away > .ab-item:focus {
	background: #dba617;
	color: #1d2327;
}
#wpadminbar #wp-admin-bar-workos-environment.workos-environment-away > .ab-item:hover .workos-environment-name,
#wpadminbar #wp-admin-bar-workos-environment.workos-environment-away > .ab-item:focus .workos-environment-name {
	text-decoration: underline;
}
#wpadminbar #wp-admin-bar-workos-environment.workos-environment-away .workos-environment-icon:before {
	content: "\f534";
	font: normal 16px/1 dashicons;
	vertical-align: -3px;
	margin-right: 4px;
}
@media screen and (max-width: 782px) {
	#wpadminbar li#wp-admin-bar-workos-environment.workos-environment-away {
		display: block;
	}
	#wpadminbar #wp-admin-bar-workos-environment.workos-environment-away > .ab-item {
		margin: 9px 4px;
		height: 28px;
		line-height: 28px;
		padding: 0 10px;
	}
	#wpadminbar #wp-admin-bar-workos-environment .workos-environment-product {
		position: absolute;
		width: 1px;
		height: 1px;
		overflow: hidden;
		clip: rect(0 0 0 0);
	}
}';

	/**
	 * admin_bar_init: the badge's style, where the admin bar shows (never
	 * for visitors).
	 */
	public static function style(): void {
		if ( current_user_can( 'manage_options' ) ) {
			wp_add_inline_style( 'admin-bar', self::CSS );
		}
	}

	/**
	 * admin_bar_menu (only rendered for signed-in users).
	 *
	 * @param \WP_Admin_Bar $bar The admin bar.
	 */
	public static function add( $bar ): void {
		if ( ! $bar instanceof \WP_Admin_Bar || ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$env  = Settings::environment();
		$away = 'production' !== $env;
		$name = Registry::section_title( 'workos_env', $env ); // "Production", "Staging".
		$bar->add_node(
			array(
				'id'     => self::NODE,
				// Right-hand side, beside the account menu: where it stays on a phone.
				'parent' => 'top-secondary',
				'title'  => sprintf(
					'<span class="workos-environment-icon" aria-hidden="true"></span><span class="workos-environment-product">%1$s </span><span class="workos-environment-name">%2$s</span>',
					/* translators: prefix of the admin-bar badge, e.g. "WorkOS: Staging". */
					esc_html__( 'WorkOS:', 'workos' ),
					esc_html( $name )
				),
				// The environment is a network setting in a network: its screen is the network admin's.
				'href'   => is_multisite() && current_user_can( 'manage_network_options' ) ? network_admin_url( 'settings.php?page=' . SettingsPage::SLUG ) : admin_url( 'options-general.php?page=' . SettingsPage::SLUG ),
				'meta'   => array(
					'class' => 'workos-environment workos-environment-' . $env . ( $away ? ' workos-environment-away' : '' ),
					'title' => sprintf(
						/* translators: 1: environment name, 2: the plugin's name. */
						__( 'Sign-in uses the WorkOS %1$s environment (%2$s settings)', 'workos' ),
						$name,
						PRODUCT_NAME
					),
				),
			)
		);
	}
}
