<?php
/**
 * `[workos:change-email]` and `[workos:password-reset]`: the reference's
 * account shortcodes.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\Hosted\Reset;
use WorkOS_WP\SignIn\Redirects;
use function WorkOS_WP\extension_ready;
use const WorkOS_WP\PLUGIN_FILE;

defined( 'ABSPATH' ) || exit;

/**
 * REFERENCE-API §5.1. Both name an account (`user`: '' = the viewer, a
 * user id or an email address) and render nothing unless the viewer may
 * edit it (edit_user) and it is linked to WorkOS — a page anyone can read
 * shows each visitor only their own. The work is done by the REST routes
 * (EmailChangeRest: a code WorkOS mails to the new address; PasswordResetRest:
 * WorkOS's reset link), which check all of this again; the script
 * (php-shim/js/account-shortcodes) is enqueued only when one renders.
 */
final class AccountShortcodes {

	/** The built script's folder, relative to the plugin. */
	public const BUILD_DIR = 'js/account-shortcodes/build/';

	/** The script's handle. */
	public const HANDLE = 'workos-account-shortcodes';

	/**
	 * How many forms this page has (their fields need ids of their own).
	 *
	 * @var int
	 */
	private static $count = 0;

	/**
	 * `[workos:change-email user="" redirect_url="" label=""]`.
	 *
	 * @param array|string $atts Attributes.
	 */
	public static function change_email( $atts ): string {
		$atts = shortcode_atts(
			array(
				'user'         => '',
				'redirect_url' => '',
				'label'        => '',
			),
			is_array( $atts ) ? $atts : array(),
			'workos:change-email'
		);
		if ( ! EmailChange::enabled() ) {
			return '';
		}
		$user = self::target( (string) $atts['user'] );
		if ( ! $user ) {
			return '';
		}
		$self  = get_current_user_id() === $user->ID;
		$label = '' !== trim( (string) $atts['label'] ) ? (string) $atts['label'] : ( $self ? __( 'Change my email', 'workos' ) : __( 'Change email', 'workos' ) );
		// Not ours to keep open: only an address on this site is followed.
		$redirect = self::redirect_url( (string) $atts['redirect_url'] );
		$pending  = EmailChange::pending( $user->ID );
		$id       = 'workos-change-email-' . ( ++self::$count );
		self::enqueue();
		ob_start();
		?>
		<form class="workos-change-email-form" data-user-id="<?php echo esc_attr( (string) $user->ID ); ?>" data-redirect-url="<?php echo esc_attr( $redirect ); ?>" data-mode="<?php echo esc_attr( $self ? 'self' : 'admin' ); ?>" data-pending="<?php echo esc_attr( $pending ? EmailChange::mask( $pending['new_email'] ) : '' ); ?>" novalidate>
			<p class="workos-change-email-current">
				<?php esc_html_e( 'Current email address:', 'workos' ); ?>
				<strong class="workos-change-email-address"><?php echo esc_html( $user->user_email ); ?></strong>
			</p>
			<p class="workos-change-email-field">
				<label for="<?php echo esc_attr( $id ); ?>"><?php esc_html_e( 'New email address', 'workos' ); ?></label>
				<input id="<?php echo esc_attr( $id ); ?>" class="workos-change-email-input" type="email" name="new_email" autocomplete="email" required>
			</p>
			<p class="workos-change-email-actions">
				<button type="submit" class="workos-change-email-trigger button wp-element-button"><?php echo esc_html( $label ); ?></button>
			</p>
			<p class="workos-change-email-status" role="status" aria-live="polite"></p>
		</form>
		<?php
		return (string) ob_get_clean();
	}

	/**
	 * `[workos:password-reset user="" redirect_url="" label="" profile=""]`.
	 *
	 * @param array|string $atts Attributes.
	 */
	public static function password_reset( $atts ): string {
		$atts = shortcode_atts(
			array(
				'user'         => '',
				'redirect_url' => '',
				'label'        => '',
				'profile'      => '',
			),
			is_array( $atts ) ? $atts : array(),
			'workos:password-reset'
		);
		$user = self::target( (string) $atts['user'] );
		if ( ! $user ) {
			return '';
		}
		$slug    = sanitize_title( (string) $atts['profile'] );
		$profile = ProfileRepository::find_by_slug( '' !== $slug ? $slug : ProfileRepository::DEFAULT_SLUG );
		if ( ! $profile || ! Reset::offered( $profile ) ) {
			return ''; // The route would refuse: no button that can only fail.
		}
		$self  = get_current_user_id() === $user->ID;
		$label = '' !== trim( (string) $atts['label'] ) ? (string) $atts['label'] : ( $self ? __( 'Reset my password', 'workos' ) : __( 'Send password reset email', 'workos' ) );
		self::enqueue();
		return sprintf(
			'<div class="workos-pwreset"><button type="button" class="workos-pwreset-trigger button wp-element-button" data-user-id="%1$s" data-redirect-url="%2$s" data-profile="%3$s">%4$s</button> <span class="workos-pwreset-status" role="status" aria-live="polite"></span></div>',
			esc_attr( (string) $user->ID ),
			esc_attr( self::redirect_url( (string) $atts['redirect_url'] ) ),
			esc_attr( $profile->get_slug() ),
			esc_html( $label )
		);
	}

	/**
	 * The account a shortcode names, when the viewer may act on it and it is
	 * WorkOS's; otherwise null.
	 *
	 * @param string $user '' (the viewer), a user id or an email address.
	 */
	private static function target( string $user ): ?\WP_User {
		if ( ! is_user_logged_in() || ! extension_ready() || ! Settings::is_configured() ) {
			return null;
		}
		$user  = trim( $user );
		$found = false;
		if ( '' === $user ) {
			$found = wp_get_current_user();
		} elseif ( ctype_digit( $user ) ) {
			$found = get_user_by( 'id', (int) $user );
		} elseif ( is_email( $user ) ) {
			$found = get_user_by( 'email', $user );
		}
		if ( ! $found instanceof \WP_User || ! $found->exists() ) {
			return null;
		}
		if ( ! current_user_can( 'edit_user', $found->ID ) || '' === EmailChange::linked_id( $found->ID ) ) {
			return null;
		}
		return $found;
	}

	/**
	 * A `redirect_url` attribute: a URL on this site, or ''.
	 *
	 * @param string $url The attribute.
	 */
	private static function redirect_url( string $url ): string {
		$url = trim( $url );
		return '' === $url ? '' : Redirects::site_target( $url, '' );
	}

	/**
	 * The script and its style, once, in the footer of this page only. (The
	 * buttons carry `wp-element-button` too: a block theme's own button look.)
	 */
	private static function enqueue(): void {
		if ( wp_script_is( self::HANDLE, 'enqueued' ) ) {
			return;
		}
		$dir   = dirname( PLUGIN_FILE ) . '/' . self::BUILD_DIR;
		$asset = is_readable( $dir . 'index.asset.php' ) ? include $dir . 'index.asset.php' : null;
		if ( ! is_array( $asset ) ) {
			return; // Not built (scripts/js-build.sh): the form shows, nothing answers it.
		}
		$url = plugins_url( self::BUILD_DIR, PLUGIN_FILE );
		wp_enqueue_script( self::HANDLE, $url . 'index.js', $asset['dependencies'], $asset['version'], true );
		wp_set_script_translations( self::HANDLE, 'workos' );
		wp_add_inline_script(
			self::HANDLE,
			'var workosAccountShortcodes = ' . wp_json_encode(
				array(
					'restUrl' => esc_url_raw( rest_url( 'workos/v1/' ) ),
					'nonce'   => wp_create_nonce( 'wp_rest' ),
				)
			) . ';',
			'before'
		);
		if ( is_readable( $dir . 'index.css' ) ) {
			wp_enqueue_style( self::HANDLE, $url . 'index.css', array(), $asset['version'] );
		}
	}
}
